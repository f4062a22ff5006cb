import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PG_INPUT_ERRORS, PG_UNIQUE_VIOLATION, sqlStateOf } from '../database/pg-errors';
import { ApiError, MiddlewareRefusal } from './api-error';
import { isDatabaseUnavailable } from './database-unavailable';
import { DomainError } from './domain-error';

/** Where an error is answered: Express's response, or the pickup's in front of Express (`pickup/pickup-route.ts`). */
export interface ErrorAnswerTarget {
  setHeader(name: string, value: string): unknown;
  status(code: number): { json(body: object): unknown };
}

/** The table at the edge, looked up: GitLab's answer to a module's error, or undefined when it has none. */
export type DomainErrorAnswers = (error: DomainError) => ApiError | undefined;

/**
 * The one place errors become HTTP: modules' errors as the table answers them, guards' and pipes' ApiErrors as they
 * are, framework errors in GitLab's shape, the rest 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly answers: DomainErrorAnswers) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.respond(exception, http.getRequest<Request>(), http.getResponse<Response>());
  }

  /** Answers `exception` on `response`: also for routes answered in front of Nest (`pickup/pickup-route.ts`). */
  respond(exception: unknown, request: Pick<Request, 'requestId'>, response: ErrorAnswerTarget): void {
    const { status, body, headers } = this.toResponse(exception, request);
    if (status === 503) response.setHeader('Retry-After', '5');
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(status).json(body);
  }

  private toResponse(
    exception: unknown,
    request: Pick<Request, 'requestId'>,
  ): { status: number; body: object; headers?: Record<string, string> } {
    const answer = exception instanceof DomainError ? this.answers(exception) : exception;
    if (answer instanceof ApiError) return { status: answer.status, body: answer.body, headers: { ...answer.headers } };
    // Nest's Express adapter wraps what a body parser throws (our JSON nesting check included) in an HttpException.
    if (exception instanceof HttpException && exception.cause instanceof MiddlewareRefusal) {
      return { status: exception.cause.answer.status, body: exception.cause.answer.body };
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    const sqlState = sqlStateOf(exception);
    if (sqlState === PG_UNIQUE_VIOLATION) return { status: 409, body: { message: 'Conflict: the resource already exists' } };
    if (sqlState && PG_INPUT_ERRORS.has(sqlState))
      return { status: 400, body: { message: '400 Bad request - a value is out of range or malformed' } };
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ msg: 'database unavailable', requestId: request.requestId });
      return { status: 503, body: { message: '503 Service Unavailable' } };
    }
    this.logger.error({ msg: 'unhandled error', requestId: request.requestId, error: describe(exception) });
    return { status: 500, body: { message: '500 Internal Server Error', request_id: request.requestId } };
  }
}

function fromHttpException(exception: HttpException): { status: number; body: object } {
  const status = exception.getStatus();
  if (status === 404) return { status, body: { message: '404 Not Found' } };
  if (status === 413) return { status, body: { message: '413 Request Entity Too Large' } };
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (typeof message === 'object' && message !== null && !Array.isArray(message)) return { status, body: { message } };
    return { status, body: { message: `${status} ${Array.isArray(message) ? message.join(', ') : String(message)}` } };
  }
  return { status, body: { message: `${status} ${exception.message}` } };
}

/** Error class and message only: stack traces stay out of logs that might be shipped, values never reach them. */
function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : typeof exception;
}
