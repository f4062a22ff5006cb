import { ExecutionContext, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';
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

/** JobToken's two places in the OpenAPI document: the `JOB-TOKEN` header, or the query parameter GitLab also reads. */
export const DocumentJobToken = (queryParameter = 'token') =>
  applyDecorators(
    ApiHeader({ name: 'JOB-TOKEN', required: false, description: `The job's token (or the \`${queryParameter}\` query parameter)` }),
    ApiQuery({ name: queryParameter, required: false, type: String, description: 'The job token, when no JOB-TOKEN header is sent' }),
  );

/** gitlab-runner's `PatchTrace`, as the OpenAPI document shows it: bytes in, GitLab's answer in the headers. */
export const DocumentTraceAppend = () =>
  applyDecorators(
    DocumentJobToken(),
    ApiHeader({
      name: 'Content-Range',
      required: false,
      description: '`<start>-<end>`: where the bytes go; the start must be the log size',
    }),
    ApiConsumes('text/plain'),
    ApiBody({ description: "The log's next bytes", schema: { type: 'string' } }),
    ApiResponse({
      status: 202,
      description: 'Appended',
      headers: {
        Range: { description: '`0-<size>`: the log size now', schema: { type: 'string' } },
        'Job-Status': { description: "The job's status; `canceled` tells the runner to stop", schema: { type: 'string' } },
        'X-GitLab-Trace-Update-Interval': { description: 'Seconds until the next update', schema: { type: 'string' } },
      },
    }),
  );
