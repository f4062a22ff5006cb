import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { redactUrl } from './redact';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const logger = new Logger('http');

/**
 * Gives every request a correlation id (the caller's `X-Request-Id` when well-formed) and logs one line when it
 * finishes. Installed before the body parsers, so a body they refuse is logged too. Headers and bodies are never
 * logged; the path is, credential parameters masked by name (and the logger redacts any token it still recognises).
 */
export function logRequests(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.get('x-request-id');
  request.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', request.requestId);
  const started = process.hrtime.bigint();
  response.on('finish', () => {
    logger.log({
      msg: 'request',
      requestId: request.requestId,
      method: request.method,
      path: redactUrl(request.originalUrl),
      status: response.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      userId: request.caller?.user.id,
    });
  });
  next();
}
