import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/users/users.service';
import { TestApp, createUser, startTestApp, uniqueName } from './support/test-app';

/**
 * Tokens without a recognisable prefix (an operator's LANYARD_ROOT_TOKEN, a token imported from an older GitLab):
 * only the parameter name can tell the log that they are secrets.
 */
describe('Credentials in request URLs never reach the log', () => {
  let api: TestApp;
  let secret: string;

  const opaqueToken = () => `opaque${randomBytes(16).toString('hex')}`;
  const serverLog = async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8');
  };
  const logLine = async (requestId: string) =>
    (await serverLog())
      .split('\n')
      .filter((line) => line.includes(requestId))
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === 'request');

  beforeAll(async () => {
    api = await startTestApp();
    const user = await createUser(api, 'logs');
    secret = opaqueToken();
    await api.app.get(UsersService).insertToken(api.app.get(DataSource).manager, user.id, 'opaque', secret, ['api'], null);
  });

  afterAll(() => api.close());

  it.each([['private%5Ftoken'], ['%70rivate_token'], ['%70rivate%5ftoken'], ['%70%72%69%76%61%74%65%5F%74%6F%6B%65%6E']])(
    'authenticates with ?%s=… and logs the request without the token',
    async (name) => {
      const requestId = uniqueName('redact');
      await api.http.get(`/api/v4/user?${name}=${secret}&page=2`).set('X-Request-Id', requestId).expect(200);
      const line = await logLine(requestId);
      expect(line).toMatchObject({ status: 200, method: 'GET' });
      expect(line.path).toBe(`/api/v4/user?${name}=[REDACTED]&page=2`);
      expect(await serverLog()).not.toContain(secret);
    },
  );

  it.each([
    ['job%5Ftoken'],
    ['%74oken'],
    ['access%5Ftoken'],
    ['PRIVATE-TOKEN'],
    ['JOB%2DTOKEN'],
    ['private_token%5B%5D'],
    ['private_token[x]'],
  ])('redacts ?%s=… whether or not it authenticates', async (name) => {
    const token = opaqueToken();
    const requestId = uniqueName('redact');
    await api.http.get(`/api/v4/user?${name}=${token}`).set('X-Request-Id', requestId);
    const line = await logLine(requestId);
    expect(line.path).toBe(`/api/v4/user?${name}=[REDACTED]`);
    expect(await serverLog()).not.toContain(token);
  });

  it('never logs the query string of a runner route, which reads its token from the query too', async () => {
    const token = opaqueToken();
    const requestId = uniqueName('redact');
    await api.http.post(`/api/v4/jobs/request?to%6Ben=${token}&x=1`).set('X-Request-Id', requestId).send({});
    const line = await logLine(requestId);
    expect(line.path).toBe('/api/v4/jobs/request?[REDACTED QUERY]');
    expect(await serverLog()).not.toContain(token);
  });

  it('never logs the PRIVATE-TOKEN or JOB-TOKEN header', async () => {
    const requestId = uniqueName('redact');
    await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', secret).set('JOB-TOKEN', secret).set('X-Request-Id', requestId).expect(200);
    expect(await logLine(requestId)).toMatchObject({ path: '/api/v4/user', status: 200 });
    expect(await serverLog()).not.toContain(secret);
  });
});
