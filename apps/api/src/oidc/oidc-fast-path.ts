import { Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastPath } from '../common/fast-path';
import { redactUrl } from '../logging/redact';
import { requestIdOf } from '../logging/request-logging';
import { OidcDocuments, sendDocument } from './oidc-documents';

/** One request in this many is logged: a verifier fleet's polls would otherwise be most of the log. */
export const FAST_PATH_LOG_SAMPLE = 1000;

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
    const requestId = requestIdOf(request);
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
