import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, MiddlewareRefusal } from './api-error';

/** GitLab's JSON parser (Ruby's `JSON.parse`, `max_nesting: 100`) refuses anything nested deeper. */
export const MAX_JSON_NESTING = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether UTF-8 JSON text nests arrays and objects deeper than `limit`, decided in one pass without parsing or
 * recursion, so no later step (parser, class-transformer, validation, logging) ever sees such a document.
 * Bytes inside strings are skipped; malformed text is left for the parser to refuse.
 */
export function jsonNestingExceeds(json: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i += 1) {
    const byte = json[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPENERS.has(byte)) {
      depth += 1;
      if (depth > limit) return true;
    } else if (CLOSERS.has(byte)) {
      depth -= 1;
    }
  }
  return false;
}

/** The JSON body parser's `verify` hook: it runs on the raw bytes, before the parser. */
export function refuseDeepJson(_request: IncomingMessage, _response: ServerResponse, body: Buffer): void {
  if (jsonNestingExceeds(body, MAX_JSON_NESTING)) {
    throw new MiddlewareRefusal(ApiError.badRequest(`the JSON body is nested deeper than ${MAX_JSON_NESTING} levels`));
  }
}
