import { type ArgumentsHost, Logger } from '@nestjs/common';
import { ApiError } from './api-error';
import { DomainError, NoFacts } from './domain-error';
import { HttpExceptionFilter } from './http-exception.filter';

class SampleError extends DomainError<{ readonly ANSWERED: NoFacts; readonly UNANSWERED: NoFacts }> {
  static readonly module = 'sample';
}

const answers = (error: DomainError) => (error.code === 'ANSWERED' ? ApiError.notFound('Sample') : undefined);

/** What the filter wrote: status, headers and JSON body. */
function answer(exception: unknown) {
  const written = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const response = {
    setHeader: (name: string, value: string) => (written.headers[name] = value),
    status: (status: number) => ((written.status = status), response),
    json: (body: unknown) => (written.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ requestId: 'req-1' }) }) };
  new HttpExceptionFilter(answers).catch(exception, host as unknown as ArgumentsHost);
  return written;
}

describe(HttpExceptionFilter.name, () => {
  it("answers a module's error as the table says", () => {
    expect(answer(new SampleError('ANSWERED'))).toMatchObject({ status: 404, body: { message: '404 Sample Not Found' } });
  });

  it("answers a guard's ApiError as it is", () => {
    expect(answer(ApiError.forbidden('admin access is required'))).toMatchObject({
      status: 403,
      body: { message: '403 Forbidden - admin access is required' },
    });
  });

  it('answers an error the table lacks as a bug: 500 with the request id, its class and code in the log only', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(answer(new SampleError('UNANSWERED'))).toEqual({
      status: 500,
      headers: {},
      body: { message: '500 Internal Server Error', request_id: 'req-1' },
    });
    expect(logged).toHaveBeenCalledWith({ msg: 'unhandled error', requestId: 'req-1', error: 'SampleError: UNANSWERED' });
    logged.mockRestore();
  });
});
