import { decodeProtectedHeader } from 'jose';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { buildRow, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

const WITH_TOKEN = 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: https://verifier.example\n';
const WITHOUT_TOKEN = 'build:\n  script: [x]\n';

interface KeyView {
  kid: string;
  state: string;
  revoked_at: string | null;
  published_until: string | null;
}

describe('Revoking a compromised signing key', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_KEY_PUBLISH_LEAD: '1s' });
  });

  afterAll(() => api.close());

  const admin = {
    list: async () =>
      (await api.http.get('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', api.rootToken).expect(200)).body as KeyView[],
    post: (path: string) => api.http.post(`/api/v4/admin/ci/id_token_signing_keys${path}`).set('PRIVATE-TOKEN', api.rootToken),
  };
  const published = async () =>
    ((await api.http.get('/oauth/discovery/keys').expect(200)).body.keys as { kid: string }[]).map((key) => key.kid);
  const activeKid = async () => (await admin.list()).find((key) => key.state === 'active')!.kid;

  async function runningJobWithToken(content = WITH_TOKEN) {
    const fixture = await createCiFixture(api, content);
    await runPipeline(api, fixture.maintainer, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const token = variableMap(job).get('TOKEN')?.value;
    return { fixture, job, kid: token ? decodeProtectedHeader(token).kid : undefined };
  }

  it('refuses to revoke the active key while no next key can take over, and changes nothing', async () => {
    for (const key of (await admin.list()).filter((k) => k.state === 'next')) await admin.post(`/${key.kid}/revoke`).expect(200);
    const active = await activeKid();

    const refused = await admin.post(`/${active}/revoke`).expect(400);

    expect(refused.body.message).toBe(
      `400 Bad request - key ${active} is the only key that can sign; add a next key (POST /admin/ci/id_token_signing_keys) and revoke again: it is promoted at once`,
    );
    expect(await activeKid()).toBe(active);
    expect(await published()).toContain(active);
  });

  it('unpublishes the key at once, promotes the next key, and fails the running jobs it signed tokens for', async () => {
    const signed = await runningJobWithToken();
    const unsigned = await runningJobWithToken(WITHOUT_TOKEN);
    const compromised = signed.kid!;
    expect(compromised).toBe(await activeKid());
    const next = (await admin.post('').expect(201)).body as KeyView;

    const revoked = await admin.post(`/${compromised}/revoke`).expect(200);

    expect(revoked.body).toMatchObject({ kid: compromised, state: 'revoked', published_until: null, revoked_at: expect.any(String) });
    expect(await published()).not.toContain(compromised);
    expect(await published()).toContain(next.kid);
    expect(await activeKid()).toBe(next.kid);
    expect(await buildRow(api, signed.job.id)).toMatchObject({ status: 'failed', failure_reason: 'id_token_signing_key_revoked' });
    expect(await buildRow(api, unsigned.job.id)).toMatchObject({ status: 'running', failure_reason: null });
    // The runner holding the failed job learns it from its next update.
    await finishJob(api, signed.job.id, signed.job.token, 'success').expect(403);
    const [pipeline] = (await client(api, signed.fixture.maintainer).get(`/projects/${signed.fixture.projectId}/pipelines`).expect(200))
      .body;
    expect(pipeline.status).toBe('failed');

    const afterwards = await runningJobWithToken();
    expect(afterwards.kid).toBe(next.kid);
  });

  it('revokes a next or retired key without touching the active one, and never twice', async () => {
    const active = await activeKid();
    const next = (await admin.post('').expect(201)).body as KeyView;
    await admin.post(`/${next.kid}/revoke`).expect(200);
    expect(await published()).not.toContain(next.kid);
    expect(await activeKid()).toBe(active);

    const again = await admin.post(`/${next.kid}/revoke`).expect(400);
    expect(again.body.message).toBe(`400 Bad request - key ${next.kid} is already revoked`);
    await admin.post(`/${next.kid}/activate`).expect(400);
    await admin.post('/no-such-kid/revoke').expect(404);
    // Its private part is destroyed: nothing, on any replica, can sign with it again.
    const [row]: { private_key: Buffer }[] = await api.app
      .get(DataSource)
      .query('SELECT private_key FROM ci_jwt_signing_keys WHERE kid = $1', [next.kid]);
    expect(row.private_key).toHaveLength(0);
  });

  describe('while a revocation holds the key rows', () => {
    // A second connection holding locks: on the embedded database every connection shares PGlite's one session.
    const onPostgres = process.env.LANYARD_TEST_EMBEDDED ? it.skip : it;
    let locker: Client | null = null;

    // Also after a timeout: a pickup waiting on the lock fails the test instead of hanging the suite.
    afterEach(async () => {
      await locker?.query('ROLLBACK');
      await locker?.end();
      locker = null;
    });

    onPostgres(
      'on PostgreSQL (skipped on the embedded database): hands out a job that mints no token, as the claim locks the key only for a job with id_tokens',
      async () => {
        const fixture = await createCiFixture(api, WITHOUT_TOKEN);
        await runPipeline(api, fixture.maintainer, fixture.projectId);
        locker = new Client({ connectionString: process.env.DATABASE_URL });
        await locker.connect();
        await locker.query('BEGIN');
        // As `revoke` locks them before it fails the jobs the key signed for.
        await locker.query('SELECT id FROM ci_jwt_signing_keys ORDER BY id FOR UPDATE');

        const job = (await requestJob(api, fixture.runnerToken).expect(201)).body;
        expect(variableMap(job).has('TOKEN')).toBe(false);
        expect(await buildRow(api, job.id)).toMatchObject({ status: 'running' });
      },
    );
  });

  it('is for admins only', async () => {
    const user = await createUser(api, 'not-admin');
    await api.http
      .post(`/api/v4/admin/ci/id_token_signing_keys/${await activeKid()}/revoke`)
      .set('PRIVATE-TOKEN', user.token)
      .expect(403);
    await api.http.post(`/api/v4/admin/ci/id_token_signing_keys/${await activeKid()}/revoke`).expect(401);
  });
});
