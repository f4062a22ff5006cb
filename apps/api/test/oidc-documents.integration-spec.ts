import { readFileSync } from 'node:fs';
import { TestApp, startTestApp, uniqueName } from './support/test-app';

const JWKS_PATHS = ['/oauth/discovery/keys', '/-/jwks'];
const STRONG_ETAG = /^"[A-Za-z0-9_-]{16,}"$/;

/** Discovery and the JWKS are answered from precomputed bytes, in front of Nest, with a strong ETag (issue 10, item 4). */
describe('OIDC discovery and JWKS from precomputed bytes', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_KEY_PUBLISH_LEAD: '1s' });
  });

  afterAll(() => api.close());

  it.each([
    ['/.well-known/openid-configuration', 'public, max-age=3600'],
    ['/oauth/discovery/keys', 'public, max-age=0, stale-if-error=86400'],
    ['/-/jwks', 'public, max-age=0, stale-if-error=86400'],
  ])('answers GET %s with a strong ETag, the exact JSON content type and its Cache-Control', async (path, cacheControl) => {
    const response = await api.http.get(path).expect(200);
    expect(response.headers['etag']).toMatch(STRONG_ETAG);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['cache-control']).toBe(cacheControl);
    expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.text));
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives both JWKS paths the same bytes and ETag, also with a query string', async () => {
    const [keys, alias, withQuery] = await Promise.all(
      [...JWKS_PATHS, '/oauth/discovery/keys?cache=bust'].map((path) => api.http.get(path).expect(200)),
    );
    expect(alias.text).toBe(keys.text);
    expect(withQuery.text).toBe(keys.text);
    expect(new Set([keys, alias, withQuery].map((response) => response.headers['etag'])).size).toBe(1);
  });

  it.each(['/.well-known/openid-configuration', ...JWKS_PATHS])(
    'answers %s with 304 and no body when If-None-Match holds its ETag',
    async (path) => {
      const etag = (await api.http.get(path).expect(200)).headers['etag'];
      for (const ifNoneMatch of [etag, `W/${etag}`, `"stale", ${etag}`, '*']) {
        const response = await api.http.get(path).set('If-None-Match', ifNoneMatch).expect(304);
        expect(response.text).toBe('');
        expect(response.headers['etag']).toBe(etag);
        expect(response.headers['cache-control']).toMatch(/^public, max-age=/);
      }
      const changed = await api.http.get(path).set('If-None-Match', '"some-other-version"').expect(200);
      expect(changed.headers['etag']).toBe(etag);
      expect(changed.body).toBeDefined();
    },
  );

  it.each(['/.well-known/openid-configuration', ...JWKS_PATHS])('answers HEAD %s with the GET headers and no body', async (path) => {
    const get = await api.http.get(path).expect(200);
    const head = await api.http.head(path).expect(200);
    expect(head.text ?? '').toBe('');
    for (const header of ['etag', 'content-type', 'content-length', 'cache-control'])
      expect(head.headers[header]).toBe(get.headers[header]);
  });

  it('changes the JWKS bytes and ETag when a key is added, and the old ETag no longer gets a 304', async () => {
    const before = await api.http.get('/oauth/discovery/keys').expect(200);
    const next = (await api.http.post('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', api.rootToken).expect(201)).body as {
      kid: string;
    };

    const after = await api.http.get('/oauth/discovery/keys').set('If-None-Match', before.headers['etag']).expect(200);
    expect(after.headers['etag']).toMatch(STRONG_ETAG);
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
    expect((after.body.keys as { kid: string }[]).map((key) => key.kid)).toEqual([
      ...(before.body.keys as { kid: string }[]).map((key) => key.kid),
      next.kid,
    ]);
    expect((await api.http.get('/-/jwks').expect(200)).headers['etag']).toBe(after.headers['etag']);
    await api.http.get('/oauth/discovery/keys').set('If-None-Match', after.headers['etag']).expect(304);
  });

  it('skips the per-request log line for these paths, which other paths still get', async () => {
    const [served, routed] = [uniqueName('jwks'), uniqueName('readiness')];
    await api.http.get('/-/jwks').expect(200); // the sampled one, if this test runs first
    await api.http.get('/oauth/discovery/keys').set('X-Request-Id', served).expect(200).expect('X-Request-Id', served);
    await api.http.get('/-/readiness').set('X-Request-Id', routed).expect(200);
    const log = readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8');
    expect(log).toContain(`"requestId":"${routed}"`);
    expect(log).not.toContain(`"requestId":"${served}"`);
  });

  it('leaves other methods and paths to the application', async () => {
    const post = await api.http.post('/oauth/discovery/keys').expect(404);
    expect(post.headers['etag']).not.toMatch(STRONG_ETAG);
    await api.http.get('/oauth/discovery/keys/extra').expect(404);
    await api.http.get('/.well-known/openid-configuration.json').expect(404);
    const readiness = await api.http.get('/-/readiness').expect(200);
    expect(readiness.headers['etag']).not.toMatch(STRONG_ETAG);
    const user = await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', api.rootToken).expect(200);
    expect(user.headers['cache-control']).toBeUndefined();
    expect(user.headers['etag']).not.toMatch(STRONG_ETAG);
  });
});
