import type { ValidationPipe } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { FastPath } from '../common/fast-path';
import type { ErrorAnswerTarget, HttpExceptionFilter } from '../common/http-exception.filter';
import { type LoggedRequest, traceRequest } from '../logging/request-logging';
import { JobRequestDto } from './dto/job-request.dto';
import type { PickupService } from './pickup.service';

export const PICKUP_PATH = '/api/v4/jobs/request';

/** Where a pickup is answered: Express's response, or `ServerResponse` dressed as one (`expressLikeAnswers`). */
interface PickupAnswerTarget extends ErrorAnswerTarget {
  status(code: number): { json(body: object): unknown; end(): unknown };
}

/** What the fast path borrows from the Express application, so that it answers as Express would, to the byte. */
export interface ExpressParts {
  /** The JSON body parser Express runs (`express.json` with the application's options: size limit, nesting check). */
  readonly parseJson: (request: IncomingMessage, response: ServerResponse, done: (error?: unknown) => void) => void;
  /** Express's `etag fn`: the weak ETag its `send` puts on a body. */
  readonly etagOf: (body: Buffer, encoding?: string) => string;
  /** How Nest hands a body parser's error to the exception filter (`ExpressAdapter.mapException`). */
  readonly mapException: (error: unknown) => unknown;
}

/**
 * `POST /api/v4/jobs/request`, the hottest request there is (every runner polls it every few seconds), answered in
 * front of Express as discovery and the JWKS are: Express's router, its request and response decorations and the
 * middleware chain cost about 0.6 ms of the event loop per pickup, as much as the decision and the signing dispatch
 * together. Served here: exactly that path, no query string, a `Content-Type` of `application/json`. The same steps
 * as behind Express: the request id and log line (`traceRequest`), Express's own JSON parser with the application's
 * options (limit, nesting check), the global validation pipe on `JobRequestDto`, the exception filter's answers
 * (body-parser errors mapped as Nest maps them), JSON sent as Express sends it (exact content type, weak ETag). Any
 * other request goes on to Express: `pickupRoute` there, `PickupController` for the variants neither matches.
 */
export function pickupFastPath(
  pickup: PickupService,
  validation: ValidationPipe,
  errors: HttpExceptionFilter,
  express: ExpressParts,
): FastPath {
  const answer = pickupAnswer(pickup, validation);
  return (request, response, next) => {
    if (request.method !== 'POST' || request.url !== PICKUP_PATH || !declaresJson(request)) return next();
    const traced = request as LoggedRequest & { body?: unknown };
    traceRequest(traced, response);
    const target = expressLikeAnswers(response, express.etagOf);
    express.parseJson(request, response, (parseError) => {
      if (parseError) return errors.respond(express.mapException(parseError), traced, target);
      answer(traced.body, target).catch((error: unknown) => errors.respond(error, traced, target));
    });
  };
}

/**
 * The same answer behind Express, as middleware after the body parsers: for what the fast path hands on (a query
 * string merged into the body, a form-encoded body, …).
 */
export function pickupRoute(pickup: PickupService, validation: ValidationPipe, errors: HttpExceptionFilter) {
  const answer = pickupAnswer(pickup, validation);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'POST' || request.path !== PICKUP_PATH) return next();
    answer(request.body, response).catch((error: unknown) => errors.respond(error, request, response));
  };
}

function pickupAnswer(pickup: PickupService, validation: ValidationPipe) {
  return async (body: unknown, response: PickupAnswerTarget): Promise<void> => {
    const dto = (await validation.transform(body ?? {}, { type: 'body', metatype: JobRequestDto })) as JobRequestDto;
    const payload = await pickup.request(dto.token);
    if (payload) response.status(201).json(payload);
    else response.status(204).end();
  };
}

/** Whether the request's media type is `application/json` (parameters such as `charset` are the parser's to judge). */
function declaresJson(request: IncomingMessage): boolean {
  const type = request.headers['content-type'];
  if (type === undefined) return false;
  const semicolon = type.indexOf(';');
  return (semicolon < 0 ? type : type.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}

/** `response` with the two calls the answers make of Express's: JSON as `exactJsonContentType` sends it, and an empty body. */
function expressLikeAnswers(response: ServerResponse, etagOf: ExpressParts['etagOf']): PickupAnswerTarget {
  return {
    setHeader: (name, value) => response.setHeader(name, value),
    status: (code) => ({
      json: (body) => {
        const bytes = Buffer.from(JSON.stringify(body), 'utf8');
        response.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, ETag: etagOf(bytes) }).end(bytes);
      },
      end: () => {
        response.statusCode = code;
        response.end();
      },
    }),
  };
}
