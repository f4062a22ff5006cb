import { calculateJwkThumbprint } from 'jose';
import { DataSource } from 'typeorm';
import { createUser, TestApp, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

describe('OIDC discovery, JWKS and signing keys', () => {
  let api: TestApp;
  const clock = new TestClock();

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_KEY_PUBLISH_LEAD: '1s' }, { clock });
  });

  afterAll(() => api.close());

  const jwks = async (path = '/oauth/discovery/keys') => (await api.http.get(path).expect(200)).body.keys as Record<string, string>[];

  it('publishes a discovery document whose issuer is the external URL byte for byte', async () => {
    const response = await api.http.get('/.well-known/openid-configuration').expect(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toMatchObject({
      issuer: 'http://lanyard.test',
      jwks_uri: 'http://lanyard.test/oauth/discovery/keys',
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['id_token'],
      scopes_supported: ['openid'],
    });
    expect(response.body.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'aud', 'project_path', 'ref_protected', 'job_project_id']),
    );
  });

  it('publishes the key set with public RSA members only, thumbprint kids and a bounded cache lifetime', async () => {
    const response = await api.http.get('/oauth/discovery/keys').expect(200);
    // A 1 s lead leaves no time for caching: a new key must reach verifiers before it signs (jwksMaxAgeSeconds).
    expect(response.headers['cache-control']).toBe('public, max-age=0, stale-if-error=86400');
    const keys = response.body.keys as Record<string, string>[];
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys.map((key) => key.kid)).size).toBe(keys.length);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', e: 'AQAB' });
      expect(Buffer.from(key.n, 'base64url').length).toBeGreaterThanOrEqual(256);
      expect(Buffer.from(key.n, 'base64url')[0]).not.toBe(0);
      expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: key.n, e: key.e }, 'sha256'));
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
    expect(await jwks('/-/jwks')).toEqual(keys);
  });

  it('keeps private keys encrypted at rest', async () => {
    const rows: { private_key: Buffer }[] = await api.app.get(DataSource).query('SELECT private_key FROM ci_jwt_signing_keys');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.private_key.toString('latin1')).not.toMatch(/PRIVATE KEY|MII/);
  });

  it('lets only admins see and rotate keys', async () => {
    const user = await createUser(api);
    await api.http.get('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', user.token).expect(403);
    await api.http.post('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', user.token).expect(403);
    await api.http.get('/api/v4/admin/ci/id_token_signing_keys').expect(401);
  });

  it('rotates: a next key is published before it may sign, activation retires the old key, which stays published', async () => {
    const admin = (request: ReturnType<typeof api.http.get>) => request.set('PRIVATE-TOKEN', api.rootToken);
    const before = (await admin(api.http.get('/api/v4/admin/ci/id_token_signing_keys')).expect(200)).body as {
      kid: string;
      state: string;
    }[];
    const oldActive = before.find((key) => key.state === 'active')!;

    const next = (await admin(api.http.post('/api/v4/admin/ci/id_token_signing_keys')).expect(201)).body;
    expect(next).toMatchObject({ state: 'next', activated_at: null });
    expect(next.public_jwk).not.toHaveProperty('d');
    expect((await jwks()).map((key) => key.kid)).toEqual(expect.arrayContaining([oldActive.kid, next.kid]));

    const early = await admin(api.http.post(`/api/v4/admin/ci/id_token_signing_keys/${next.kid}/activate`)).expect(400);
    expect(early.body.message).toMatch(/may sign from .*LANYARD_KEY_PUBLISH_LEAD/);
    clock.advance(1);
    await admin(api.http.post(`/api/v4/admin/ci/id_token_signing_keys/${next.kid}/activate`)).expect(200);

    const after = (await admin(api.http.get('/api/v4/admin/ci/id_token_signing_keys')).expect(200)).body as {
      kid: string;
      state: string;
      published_until: string;
    }[];
    expect(after.find((key) => key.kid === next.kid)!.state).toBe('active');
    const retired = after.find((key) => key.kid === oldActive.kid)!;
    expect(retired.state).toBe('retired');
    expect(new Date(retired.published_until).getTime()).toBeGreaterThan(clock.now().getTime());
    expect((await jwks()).map((key) => key.kid)).toEqual(expect.arrayContaining([oldActive.kid, next.kid]));

    const retireActive = await admin(api.http.post(`/api/v4/admin/ci/id_token_signing_keys/${next.kid}/retire`)).expect(400);
    expect(retireActive.body.message).toMatch(/active key/);
    await admin(api.http.post(`/api/v4/admin/ci/id_token_signing_keys/${oldActive.kid}/activate`)).expect(400);
    await admin(api.http.post('/api/v4/admin/ci/id_token_signing_keys/nope/retire')).expect(404);
  });

  it('answers discovery and the JWKS from memory while the database is unreachable', async () => {
    const isolated = await startTestApp();
    const keys = (await isolated.http.get('/oauth/discovery/keys').expect(200)).body;
    const dataSource = isolated.app.get(DataSource);
    jest.spyOn(dataSource, 'query').mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    jest.spyOn(dataSource, 'getRepository').mockImplementation(() => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    await isolated.http.get('/-/readiness').expect(503);
    expect((await isolated.http.get('/oauth/discovery/keys').expect(200)).body).toEqual(keys);
    await isolated.http.get('/.well-known/openid-configuration').expect(200);
    jest.restoreAllMocks();
    await isolated.close();
  });
});
