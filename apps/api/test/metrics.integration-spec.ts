import { DataSource } from 'typeorm';
import { MetricsController } from '../src/metrics/metrics.controller';
import { commitCiConfig, createCiFixture, requestJob } from './support/ci-fixtures';
import { type Sample, parseExposition, valueOf } from './support/prometheus-text';
import { client } from './support/resources';
import { runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const METRICS_TOKEN = 'metrics-test-token-0123456789';

const TOKEN_JOB = `
deploy:
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
  script: echo
`;

/** Dropped at pickup: secrets need a Vault server, and the job has no VAULT_SERVER_URL. */
const SECRET_JOB = `
secret-job:
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.example.com
  secrets:
    DB:
      vault: prod/db/password@kv
      token: $VAULT_ID_TOKEN
  script: echo
`;

/** Every family the endpoint promises (issue 18, item 13), with its Prometheus type. */
const FAMILIES = {
  lanyard_http_request_duration_seconds: 'histogram',
  lanyard_pickups_total: 'counter',
  lanyard_jobs_dropped_total: 'counter',
  lanyard_id_tokens_minted_total: 'counter',
  lanyard_id_token_signing_duration_seconds: 'histogram',
  lanyard_metrics_database_up: 'gauge',
  lanyard_queue_pending_jobs: 'gauge',
  lanyard_queue_oldest_pending_age_seconds: 'gauge',
  lanyard_signing_keys: 'gauge',
  lanyard_signing_key_age_seconds: 'gauge',
  lanyard_signing_key_next_activation_seconds: 'gauge',
  lanyard_db_pool_connections: 'gauge',
  lanyard_db_pool_max: 'gauge',
};

describe(MetricsController.name, () => {
  let api: TestApp;
  let owner: TestUser;
  const clock = new TestClock();

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_METRICS_TOKEN: METRICS_TOKEN, LANYARD_KEY_PUBLISH_LEAD: '1h' }, { clock });
    owner = await createUser(api, 'metrics');
  });

  afterAll(() => api.close());

  const scrape = () => api.http.get('/-/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);

  describe('access', () => {
    it.each([
      ['no Authorization header', {}],
      ['another bearer token', { Authorization: 'Bearer metrics-test-token-012345678X' }],
      ['the token under another scheme', { Authorization: `Basic ${METRICS_TOKEN}` }],
      ['the root personal access token', { 'PRIVATE-TOKEN': 'glpat-test-root-token-0123456789' }],
    ])('refuses a scrape with %s (401, a Bearer challenge, no metrics)', async (_case, headers) => {
      const response = await api.http.get('/-/metrics').set(headers).expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(response.text).not.toContain('lanyard_');
    });

    it('answers with the Prometheus text format to the metrics token', async () => {
      const response = await scrape();
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      // Exactly these: a family added or renamed is a deliberate change to what dashboards and alerts read.
      const served = Object.fromEntries(
        [...response.text.matchAll(/^# TYPE (lanyard_\S+) (\S+)$/gm)].map(([, name, type]) => [name, type]),
      );
      expect(served).toEqual(FAMILIES);
    });
  });

  describe('what it counts', () => {
    let samples: Sample[];
    let projectId: number;
    let pendingQueuedAt: number;
    let nextKid: string;

    beforeAll(async () => {
      // A job handed out with one ID token.
      const taken = await createCiFixture(api, TOKEN_JOB, { owner });
      projectId = taken.projectId;
      await runPipeline(api, owner, taken.projectId);
      await takeJob(api, taken.runnerToken);
      // A job dropped at pickup (then nothing left for that runner).
      const dropped = await createCiFixture(api, SECRET_JOB, { owner });
      await runPipeline(api, owner, dropped.projectId);
      await requestJob(api, dropped.runnerToken).expect(204);
      // A job left waiting: nobody asks for it.
      const waiting = await createCiFixture(api, TOKEN_JOB, { owner });
      await commitCiConfig(api, owner, waiting.projectId, TOKEN_JOB, 'main');
      await runPipeline(api, owner, waiting.projectId);
      pendingQueuedAt = clock.now().getTime() / 1000;
      // A few API requests: two on one route pattern, one no route takes, one served in front of Express.
      await client(api, owner).get(`/projects/${projectId}`).expect(200);
      await client(api, owner).get(`/projects/${waiting.projectId}`).expect(200);
      await client(api, owner).get('/no-such-route').expect(404);
      await api.http.get('/no-such-page').expect(404);
      await api.http.get('/oauth/discovery/keys').expect(200);
      // A staged key, usable an hour from now (LANYARD_KEY_PUBLISH_LEAD).
      nextKid = (await client(api, 'glpat-test-root-token-0123456789').post('/admin/ci/id_token_signing_keys').expect(201)).body.kid;
      clock.advance(120);
      samples = parseExposition((await scrape()).text);
    });

    // The staged key leaves the rotation again, so no other test finds it.
    afterAll(() => client(api, 'glpat-test-root-token-0123456789').post(`/admin/ci/id_token_signing_keys/${nextKid}/retire`).expect(200));

    it('counts requests by method, route pattern and status, never by raw URL', () => {
      const count = (labels: Record<string, string>) => valueOf(samples, 'lanyard_http_request_duration_seconds_count', labels);
      expect(count({ method: 'GET', route: '/api/v4/projects/:id', status: '200' })).toBe(2);
      expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(2);
      expect(count({ method: 'GET', route: '/oauth/discovery/keys', status: '200' })).toBe(1);
      expect(count({ method: 'POST', route: '/api/v4/jobs/request', status: '201' })).toBe(1);
      expect(count({ method: 'POST', route: '/api/v4/jobs/request', status: '204' })).toBe(1);
      expect(count({ method: 'GET', route: '/-/metrics', status: '401' })).toBe(4);
      expect(samples.some((sample) => sample.labels.route?.includes(`/projects/${projectId}`))).toBe(false);
      expect(samples.some((sample) => /no-such/.test(sample.labels.route ?? ''))).toBe(false);
      const sum = valueOf(samples, 'lanyard_http_request_duration_seconds_sum', {
        method: 'GET',
        route: '/api/v4/projects/:id',
        status: '200',
      });
      expect(sum).toBeGreaterThan(0);
    });

    it('counts pickups by outcome and dropped jobs by reason', () => {
      expect(valueOf(samples, 'lanyard_pickups_total', { outcome: 'job' })).toBe(1);
      expect(valueOf(samples, 'lanyard_pickups_total', { outcome: 'dropped' })).toBe(1);
      expect(valueOf(samples, 'lanyard_pickups_total', { outcome: 'none' })).toBe(1);
      expect(valueOf(samples, 'lanyard_jobs_dropped_total', { reason: 'secrets_provider_not_found' })).toBe(1);
    });

    it('counts the ID tokens minted and times their signing (the dropped job signed nothing)', () => {
      expect(valueOf(samples, 'lanyard_id_tokens_minted_total', { outcome: 'issued' })).toBe(1);
      expect(valueOf(samples, 'lanyard_id_tokens_minted_total', { outcome: 'failed' })).toBe(0);
      expect(valueOf(samples, 'lanyard_id_token_signing_duration_seconds_count')).toBe(1);
      expect(valueOf(samples, 'lanyard_id_token_signing_duration_seconds_sum')).toBeGreaterThan(0);
    });

    it('reads the queue depth and the oldest pending job’s age at scrape time', async () => {
      const [queue] = await api.app.get(DataSource).query(
        `SELECT count(*)::int AS depth, extract(epoch FROM min(coalesce(b.queued_at, q.created_at)))::float8 AS oldest
             FROM ci_pending_builds q JOIN ci_builds b ON b.id = q.build_id`,
      );
      expect(valueOf(samples, 'lanyard_metrics_database_up')).toBe(1);
      expect(valueOf(samples, 'lanyard_queue_pending_jobs')).toBe(queue.depth);
      expect(queue.depth).toBeGreaterThanOrEqual(1);
      const age = valueOf(samples, 'lanyard_queue_oldest_pending_age_seconds')!;
      expect(age).toBeCloseTo(clock.now().getTime() / 1000 - queue.oldest, 3);
      // Our waiting job was queued 120 s of clock time ago; an older one may wait from another test file.
      expect(age).toBeGreaterThanOrEqual(clock.now().getTime() / 1000 - pendingQueuedAt);
    });

    it('gives each published key’s age and the seconds until the staged key may be activated', async () => {
      const keys: { kid: string; state: string; created: number }[] = await api.app
        .get(DataSource)
        .query(
          `SELECT kid, state, extract(epoch FROM created_at)::float8 AS created FROM ci_jwt_signing_keys WHERE state IN ('next', 'active')`,
        );
      const now = clock.now().getTime() / 1000;
      for (const key of keys) {
        expect(valueOf(samples, 'lanyard_signing_key_age_seconds', { kid: key.kid, state: key.state })).toBeCloseTo(
          Math.max(0, now - key.created),
          3,
        );
      }
      expect(valueOf(samples, 'lanyard_signing_keys', { state: 'active' })).toBe(1);
      expect(valueOf(samples, 'lanyard_signing_key_age_seconds', { kid: nextKid, state: 'next' })).toBeDefined();
      // The staged key usable soonest: ours, added at the clock's start with a 1h lead, unless another file left one.
      const [soonest]: { kid: string; usable: number }[] = await api.app
        .get(DataSource)
        .query(
          `SELECT kid, extract(epoch FROM usable_from)::float8 AS usable FROM ci_jwt_signing_keys WHERE state = 'next' ORDER BY usable_from LIMIT 1`,
        );
      const expected = Math.max(0, soonest.usable - now);
      expect(valueOf(samples, 'lanyard_signing_key_next_activation_seconds', { kid: soonest.kid })).toBeCloseTo(expected, 3);
      expect(samples.filter((sample) => sample.name === 'lanyard_signing_key_next_activation_seconds')).toHaveLength(1);
      if (soonest.kid === nextKid) expect(expected).toBeCloseTo(3600 - 120, 3);
    });

    it('reports the database pool: its size and its total, idle and waiting clients', () => {
      const max = Number(process.env.LANYARD_TEST_POOL_SIZE ?? 4);
      expect(valueOf(samples, 'lanyard_db_pool_max')).toBe(max);
      const total = valueOf(samples, 'lanyard_db_pool_connections', { state: 'total' })!;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(max);
      expect(valueOf(samples, 'lanyard_db_pool_connections', { state: 'idle' })).toBeLessThanOrEqual(total);
      expect(valueOf(samples, 'lanyard_db_pool_connections', { state: 'waiting' })).toBe(0);
    });
  });
});

describe(`${MetricsController.name} without LANYARD_METRICS_TOKEN`, () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_METRICS_TOKEN: '' });
  });

  afterAll(() => api.close());

  it('does not exist: 404 to anyone, with a bearer token or the root token', async () => {
    await api.http.get('/-/metrics').expect(404);
    await api.http.get('/-/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(404);
    const response = await api.http.get('/-/metrics').set('PRIVATE-TOKEN', api.rootToken).expect(404);
    expect(response.text).not.toContain('lanyard_');
  });
});
