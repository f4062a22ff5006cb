import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Response } from 'supertest';
import { createCiFixture } from './support/ci-fixtures';
import { TestApp, startTestApp, uniqueName } from './support/test-app';

/** The weak ETag Express's `send` puts on a body (the `etag` package: length and SHA-1, base64, 27 characters). */
const expressWeakEtag = (body: string) =>
  `W/"${Buffer.byteLength(body).toString(16)}-${createHash('sha1').update(body, 'utf8').digest('base64').slice(0, 27)}"`;

/**
 * `POST /api/v4/jobs/request` is answered in front of Express (`pickup/pickup-route.ts`, `pickupFastPath`). Its
 * answers are the ones Express gave before (read off the Express route: status, body, exact content type, length,
 * weak ETag), and what it does not serve still reaches Express.
 */
describe('The pickup answered in front of Express', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const PATH = '/api/v4/jobs/request';
  const send = (body: string, contentType = 'application/json', requestId?: string, path = PATH) => {
    const request = api.http.post(path).set('Content-Type', contentType);
    return (requestId ? request.set('X-Request-Id', requestId) : request).send(body);
  };
  const expectSentAsExpressSends = (response: Response) => {
    expect(response.headers['content-type']).toBe('application/json');
    expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.text));
    expect(response.headers['etag']).toBe(expressWeakEtag(response.text));
  };
  const logLines = (requestId: string) =>
    readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8')
      .split('\n')
      .filter((line) => line.includes(requestId))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it.each([
    ['malformed JSON', '{bad', 400, { message: "400 Expected property name or '}' in JSON at position 1" }],
    ['a JSON array', '[]', 400, { error: 'token is missing' }],
    ['a JSON string', '"x"', 400, { message: '400 Unexpected token \'"\', ""x"" is not valid JSON' }],
    ['JSON null', 'null', 400, { message: '400 Unexpected token \'n\', "null" is not valid JSON' }],
    ['no token', '{}', 400, { error: 'token is missing' }],
    ['a token that is not a string', '{"token":1}', 400, { error: 'token is invalid' }],
    ['an unknown runner token', '{"token":"glrt-no-such-runner"}', 403, { message: '403 Forbidden' }],
    [
      'JSON nested deeper than 100 levels',
      '{"a":'.repeat(101) + '1' + '}'.repeat(101),
      400,
      { message: '400 Bad request - the JSON body is nested deeper than 100 levels' },
    ],
    [
      'a body over the 2 MB limit',
      JSON.stringify({ token: 'glrt-x', padding: 'x'.repeat(2 * 1024 * 1024) }),
      413,
      { message: '413 Request Entity Too Large' },
    ],
  ])('answers %s as the Express route did', async (_case, body, status, answer) => {
    const response = await send(body);
    expect({ status: response.status, body: response.body }).toEqual({ status, body: answer });
    expectSentAsExpressSends(response);
  });

  it('answers a charset the JSON parser refuses as the Express route did', async () => {
    const response = await send('{"token":"glrt-x"}', 'application/json; charset=latin1');
    expect({ status: response.status, body: response.body }).toEqual({
      status: 415,
      body: { message: '415 unsupported charset "LATIN1"' },
    });
    expectSentAsExpressSends(response);
  });

  it('hands a job as Express sent it, and answers 204 with no body when none is left', async () => {
    const fixture = await createCiFixture(api, 'one:\n  script: echo one\n');
    const pipeline = await api.http
      .post(`/api/v4/projects/${fixture.projectId}/pipeline`)
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .send({ ref: 'main' });
    expect(pipeline.status).toBe(201);
    const body = JSON.stringify({ token: fixture.runnerToken });
    const job = await send(body);
    expect(job.status).toBe(201);
    expect(job.body.job_info.name).toBe('one');
    expectSentAsExpressSends(job);
    const none = await send(body);
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
    expect(none.headers['content-type']).toBeUndefined();
  });

  it('gives the request its id and one log line, as every request behind Express', async () => {
    const requestId = uniqueName('fast-pickup');
    const response = await send('{"token":"glrt-no-such-runner"}', 'application/json', requestId);
    expect(response.status).toBe(403);
    expect(response.headers['x-request-id']).toBe(requestId);
    const generated = await send('{"token":"glrt-no-such-runner"}', 'application/json', 'not a valid id!');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logLines(requestId)).toEqual([expect.objectContaining({ msg: 'request', requestId, method: 'POST', path: PATH, status: 403 })]);
  });

  it('leaves the rest to Express: a form body, and a query string merged into the body', async () => {
    const form = await send('token=glrt-no-such-runner', 'application/x-www-form-urlencoded');
    expect({ status: form.status, body: form.body }).toEqual({ status: 403, body: { message: '403 Forbidden' } });
    const fromQuery = await send('{}', 'application/json', undefined, `${PATH}?token=glrt-no-such-runner`);
    expect({ status: fromQuery.status, body: fromQuery.body }).toEqual({ status: 403, body: { message: '403 Forbidden' } });
  });
});
