import { readFileSync } from 'node:fs';
import { TestApp, startTestApp } from './support/test-app';

describe('Operations endpoints', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('answers liveness and readiness without a token, outside /api/v4', async () => {
    await api.http.get('/-/liveness').expect(200, { status: 'ok' });
    const ready = await api.http.get('/-/readiness').expect(200);
    expect(ready.body).toEqual({ status: 'ok', master_check: [{ status: 'ok' }] });
  });

  it('serves an OpenAPI document generated from the controllers and DTOs', async () => {
    const response = await api.http.get('/api/v4/openapi.json').set('PRIVATE-TOKEN', api.rootToken).expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/v4/user', '/api/v4/groups/{id}', '/api/v4/projects/{id}', '/api/v4/projects/{id}/members']),
    );
    const createGroup = response.body.paths['/api/v4/groups'].post;
    expect(createGroup.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateGroupDto' });
    const schema = response.body.components.schemas.CreateGroupDto;
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'path']));
    expect(schema.properties.visibility.enum).toEqual(['private', 'internal', 'public']);
  });

  it('answers an unknown route with a 404 JSON body', async () => {
    const response = await api.http.get('/api/v4/no/such/route').set('PRIVATE-TOKEN', api.rootToken).expect(404);
    expect(response.body).toEqual({ message: '404 Not Found' });
  });

  it('labels JSON exactly application/json, as GitLab does (python-gitlab compares the header exactly)', async () => {
    const ok = await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', api.rootToken).expect(200);
    expect(ok.headers['content-type']).toBe('application/json');
    const error = await api.http.get('/api/v4/user').expect(401);
    expect(error.headers['content-type']).toBe('application/json');
  });

  it.each([
    ['malformed JSON', '{"name": "x",', 'application/json'],
    ['a JSON array instead of an object', '[1,2,3]', 'application/json'],
    ['JSON null', 'null', 'application/json'],
  ])('answers %s with 400', async (_case, body, type) => {
    const response = await api.http.post('/api/v4/groups').set('PRIVATE-TOKEN', api.rootToken).set('Content-Type', type).send(body);
    expect(response.status).toBe(400);
    // Malformed JSON is the parser's `message`; a body without the required parameters, Grape's `error`.
    expect(response.body.message ?? response.body.error).toEqual(expect.any(String));
  });

  it('reads POST parameters from the query string too, as GitLab does; the body wins', async () => {
    const path = `q-${Date.now()}`;
    const created = await api.http
      .post(`/api/v4/groups?name=${path}&path=${path}&visibility=internal`)
      .set('PRIVATE-TOKEN', api.rootToken)
      .expect(201);
    expect(created.body).toMatchObject({ path, visibility: 'internal' });
    const both = await api.http
      .post(`/api/v4/groups?name=ignored&path=${path}-b`)
      .set('PRIVATE-TOKEN', api.rootToken)
      .send({ name: 'From body' })
      .expect(201);
    expect(both.body).toMatchObject({ name: 'From body', path: `${path}-b` });
  });

  it('rejects a body over the size limit with 413, not a 500', async () => {
    const response = await api.http
      .post('/api/v4/groups')
      .set('PRIVATE-TOKEN', api.rootToken)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }));
    expect(response.status).toBe(413);
  });

  it('logs one JSON line per request with its correlation id, and no token', async () => {
    const requestId = `corr-${Date.now()}`;
    await api.http
      .get('/api/v4/user?private_token=' + api.rootToken)
      .set('X-Request-Id', requestId)
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8').split('\n').filter(Boolean);
    const line = lines.map((l) => JSON.parse(l)).find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ level: 'info', context: 'http', msg: 'request', method: 'GET', status: 200 });
    expect(line.path).toContain('private_token=[REDACTED]');
    expect(lines.join('\n')).not.toContain(api.rootToken);
  });

  it('returns a fresh correlation id when the caller sends none or a malformed one', async () => {
    const generated = await api.http.get('/-/liveness').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const malformed = await api.http.get('/-/liveness').set('X-Request-Id', 'bad id\twith spaces').expect(200);
    expect(malformed.headers['x-request-id']).not.toBe('bad id\twith spaces');
  });
});
