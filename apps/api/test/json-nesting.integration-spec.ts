import { readFileSync } from 'node:fs';
import { TestApp, startTestApp, uniqueName } from './support/test-app';

/** `depth` nested objects or arrays around `inner`: `{"a":{"a":1}}` is 2 deep, as Ruby's JSON counts `max_nesting`. */
const nested = (depth: number, kind: 'objects' | 'arrays', inner = '1') =>
  kind === 'objects' ? '{"a":'.repeat(depth) + inner + '}'.repeat(depth) : '['.repeat(depth) + inner + ']'.repeat(depth);

const TOO_DEEP = { message: '400 Bad request - the JSON body is nested deeper than 100 levels' };

describe('Deeply nested JSON bodies', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const routes = {
    'POST /jobs/request (unauthenticated runner route)': (body: string) =>
      api.http.post('/api/v4/jobs/request').set('Content-Type', 'application/json').send(body),
    'POST /groups (authenticated)': (body: string) =>
      api.http.post('/api/v4/groups').set('PRIVATE-TOKEN', api.rootToken).set('Content-Type', 'application/json').send(body),
  };

  describe.each(Object.entries(routes))('%s', (_route, send) => {
    it.each([
      [3000, 'objects'],
      [3000, 'arrays'],
      [101, 'objects'],
      [101, 'arrays'],
    ] as const)('answers %i nested %s with 400, not a 500 (GitLab parses at most 100 levels)', async (depth, kind) => {
      const response = await send(nested(depth, kind));
      expect(response.status).toBe(400);
      expect(response.body).toEqual(TOO_DEEP);
    });

    it('answers 400 when the deep part hides inside an otherwise valid body', async () => {
      const response = await send(`{"token":"glrt-x","name":"n","path":"p","extra":${nested(100, 'arrays')}}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(TOO_DEEP);
    });
  });

  it('accepts 100 levels where the body is otherwise valid', async () => {
    const path = uniqueName('deep');
    const response = await routes['POST /groups (authenticated)'](`{"name":"${path}","path":"${path}","extra":${nested(99, 'objects')}}`);
    expect(response.status).toBe(201);
    expect(response.body.path).toBe(path);
    const arrays = await routes['POST /jobs/request (unauthenticated runner route)'](
      `{"token":"glrt-unknown","extra":${nested(99, 'arrays')}}`,
    );
    expect(arrays.status).toBe(403); // the runner token is checked: the body was accepted
  });

  it('does not count brackets inside strings', async () => {
    const path = uniqueName('brackets');
    const response = await routes['POST /groups (authenticated)'](
      JSON.stringify({ name: path, path, description: '['.repeat(500) + '{"\\"'.repeat(200) }),
    );
    expect(response.status).toBe(201);
  });

  it('logs the refusal as a 400 request, never as an unhandled error', async () => {
    const requestId = uniqueName('deep-json');
    await api.http
      .post('/api/v4/jobs/request')
      .set('X-Request-Id', requestId)
      .set('Content-Type', 'application/json')
      .send(nested(5000, 'objects'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entries = readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8')
      .split('\n')
      .filter((line) => line.includes(requestId))
      .map((line) => JSON.parse(line));
    expect(entries).toEqual([expect.objectContaining({ msg: 'request', status: 400 })]);
  });
});
