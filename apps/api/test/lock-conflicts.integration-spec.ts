import { DataSource, QueryRunner } from 'typeorm';
import { CiFixture, createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

const CONFIG = ['stages: [test]', 'a:\n  script: echo a', 'b:\n  script: echo b', 'c:\n  script: echo c'].join('\n');

/**
 * Issue 19: a lock cycle the lock order cannot rule out (closed here by hand, in a transaction of the test's own) costs
 * the request that PostgreSQL aborts a retry, never a 500. The request waits first, so PostgreSQL's deadlock check
 * (after `deadlock_timeout`) runs in its session first and aborts it, not the test's.
 */
describe('Requests PostgreSQL aborts to break a lock cycle', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let other: QueryRunner;

  beforeAll(async () => {
    api = await startTestApp();
  });

  beforeEach(async () => {
    fixture = await createCiFixture(api, CONFIG);
    other = api.app.get(DataSource).createQueryRunner();
    await other.connect();
    await other.startTransaction();
  });

  afterEach(async () => {
    if (other.isTransactionActive) await other.rollbackTransaction();
    await other.release();
  });

  afterAll(() => api.close());

  /** Until some session of the app waits for a row lock (the request has taken its first rows). */
  async function untilARequestWaits(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const [{ waiting }] = await api.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no request waited for a lock');
  }

  it('PUT /jobs/:id (its job, then the pipeline) against a transaction holding the pipeline, then wanting the job: 200', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    await other.query('SELECT id FROM ci_pipelines WHERE id = $1 FOR UPDATE', [pipeline.id]);
    const update = finishJob(api, job.id, job.token, 'success').then((response) => response);
    await untilARequestWaits();
    await other.query('UPDATE ci_builds SET reported_at = now() WHERE id = $1', [job.id]);
    await other.commitTransaction();

    const response = await update;
    expect([response.status, response.body]).toEqual([200, { id: job.id, status: 'success' }]);
    const [row] = await api.app.get(DataSource).query('SELECT status FROM ci_builds WHERE id = $1', [job.id]);
    expect(row.status).toBe('success');
  });

  it('a pickup (queue row, job, then the pipeline) against one holding the pipeline, then wanting the queue row: 201', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    // The queue row the pickup claims: the oldest job's.
    const [first]: { id: string }[] = await api.app
      .get(DataSource)
      .query('SELECT min(id) AS id FROM ci_builds WHERE pipeline_id = $1', [pipeline.id]);
    await other.query('SELECT id FROM ci_pipelines WHERE id = $1 FOR UPDATE', [pipeline.id]);
    const pickup = requestJob(api, fixture.runnerToken).then((response) => response);
    await untilARequestWaits();
    await other.query('SELECT build_id FROM ci_pending_builds WHERE build_id = $1 FOR UPDATE', [first.id]);
    await other.commitTransaction();

    const response = await pickup;
    expect(response.status).toBe(201);
    // Whichever job the retried attempt took, it took it once: the other two are left for the next runners.
    const rest = [await takeJob(api, fixture.runnerToken), await takeJob(api, fixture.runnerToken)];
    await requestJob(api, fixture.runnerToken).expect(204);
    expect(new Set([response.body.id, ...rest.map((job) => job.id)]).size).toBe(3);
    const jobs = (await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}/jobs`).expect(200))
      .body as { status: string }[];
    expect(jobs.map((each) => each.status)).toEqual(['running', 'running', 'running']);
  });
});
