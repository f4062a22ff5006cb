import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The job token a request authenticates with: the `JOB-TOKEN` header, or the query parameter GitLab reads there
 * (`token` on the runner's routes, the default; `job_token` on the API's).
 */
export const JobToken = createParamDecorator((parameter: string | undefined, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request>();
  const header = request.headers['job-token'];
  const query = request.query[parameter ?? 'token'];
  return typeof header === 'string' ? header : typeof query === 'string' ? query : '';
});

/** The request body as the bytes sent (the runner's log), whatever its content type says; no body is no bytes. */
export const RawBody = createParamDecorator((_data: unknown, context: ExecutionContext): Buffer => {
  const body: unknown = context.switchToHttp().getRequest<Request>().body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
});
