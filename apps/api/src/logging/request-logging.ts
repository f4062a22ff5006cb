import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { redactUrl } from './redact';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const logger = new Logger('http');

/** The request's correlation id: the caller's `X-Request-Id` when well-formed, else a new one. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** What the request log names of a request (Express's, or one answered in front of Express). */
export interface LoggedRequest extends IncomingMessage {
  requestId: string;
  originalUrl?: string;
  caller?: Request['caller'];
}

/**
 * Gives the request its correlation id, answers it in `X-Request-Id`, and logs one line when the response finishes.
 * Headers and bodies are never logged; the path is, credential parameters masked by name (and the logger redacts
 * any token it still recognises).
 */
export function traceRequest(request: LoggedRequest, response: ServerResponse): void {
  request.requestId = requestIdOf(request);
  response.setHeader('X-Request-Id', request.requestId);
  const started = process.hrtime.bigint();
  response.on('finish', () => {
    logger.log({
      msg: 'request',
      requestId: request.requestId,
      method: request.method,
      path: redactUrl(request.originalUrl ?? request.url ?? ''),
      status: response.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      userId: request.caller?.user.id,
    });
  });
}

/** Express middleware: every request is traced (`traceRequest`), before the body parsers, so a body they refuse is logged too. */
export function logRequests(request: Request, response: Response, next: NextFunction): void {
  traceRequest(request, response);
  next();
}
