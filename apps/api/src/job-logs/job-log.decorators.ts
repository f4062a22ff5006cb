import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

/** The job token a runner authenticates with: the `JOB-TOKEN` header, or a `token` parameter (GitLab reads both). */
export const JobToken = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request>();
  const header = request.headers['job-token'];
  const query = request.query.token;
  return typeof header === 'string' ? header : typeof query === 'string' ? query : '';
});

/** The request body as the bytes sent (the runner's log), whatever its content type says; no body is no bytes. */
export const RawBody = createParamDecorator((_data: unknown, context: ExecutionContext): Buffer => {
  const body: unknown = context.switchToHttp().getRequest<Request>().body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
});
