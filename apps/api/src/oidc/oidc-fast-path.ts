import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OidcDocuments, sendDocument } from './oidc-documents';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** One request in this many is logged: a verifier fleet's polls would otherwise be most of the log. */
export const FAST_PATH_LOG_SAMPLE = 1000;

/**
 * Answers GET and HEAD of discovery and the JWKS before Nest's router, guards, interceptors and per-request logging:
 * a bare Nest route tops out near a quarter of what these bytes can be served at. Anything else goes on to Nest,
 * including other methods (404 there) and variants such as a trailing slash (answered by `OidcController`).
 */
export function oidcFastPath(documents: OidcDocuments, logger = new Logger('http')) {
  let served = 0;
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const url = request.url ?? '';
    const query = url.indexOf('?');
    const document = documents.at(query < 0 ? url : url.slice(0, query));
    if (!document) return next();
    const incoming = request.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    sendDocument(request, response, document);
    if (served++ % FAST_PATH_LOG_SAMPLE === 0) {
      logger.debug({ msg: 'request', sampled: `1/${FAST_PATH_LOG_SAMPLE}`, requestId, method: request.method, path: url, status: response.statusCode });
    }
  };
}
