import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { redactUrl } from '../logging/redact';
import { OidcDocuments, sendDocument } from './oidc-documents';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** One request in this many is logged: a verifier fleet's polls would otherwise be most of the log. */
export const FAST_PATH_LOG_SAMPLE = 1000;

type FastPath = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * Answers GET and HEAD of discovery and the JWKS before Express and Nest (router, guards, interceptors, per-request
 * logging): a bare Nest route tops out near a quarter of what these bytes can be served at. Anything else goes on to
 * Nest, including other methods (404 there) and variants such as a trailing slash (answered by `OidcController`).
 */
export function oidcFastPath(documents: OidcDocuments, logger = new Logger('http')): FastPath {
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
      logger.debug({
        msg: 'request',
        sampled: `1/${FAST_PATH_LOG_SAMPLE}`,
        requestId,
        method: request.method,
        path: redactUrl(url),
        status: response.statusCode,
      });
    }
  };
}

/** Makes `fastPath` the server's only request listener, handing what it does not answer to the previous ones (Express). */
export function putInFront(server: Server, fastPath: FastPath): void {
  const behind = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) =>
    fastPath(request, response, () => {
      for (const listener of behind) listener(request, response);
    }),
  );
}
