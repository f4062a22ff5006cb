import { DataSource } from 'typeorm';
import { STUCK_JOBS_LOCK, StuckJobsScheduler } from '../src/pipelines/stuck-jobs.scheduler';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { buildRow, runPipeline, takeJob } from './support/runner-fixtures';
import { patchTrace, updateJob } from './support/runner-protocol';
import { TestApp, TestUser, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const HOUR = 3600;
/** A second session holding the lock is PostgreSQL's: on the embedded database every connection shares one session. */
const onPostgres = process.env.LANYARD_TEST_EMBEDDED ? it.skip : it;
const TIMEOUT = 600;
/** A job with a 10-minute timeout and an ID token, then one that runs only if it succeeded. */
const RUNNING = `build:
  script: [x]
  timeout: 10 minutes
  id_tokens:
    TOKEN:
      aud: https://verifier.example
deploy:
  stage: deploy
  script: [x]
`;
/** A job no runner here can take (its tag), allowed to fail, then one any runner can. */
const UNTAKEABLE = `build:
  script: [x]
  tags: [gpu]
  allow_failure: true
after:
  stage: deploy
  script: [x]
`;

/**
 * Issue 18, item 4: nothing stays running or pending forever, on the injected clock. Each test fails only its own
 * project's jobs: this app's clock runs days ahead, and other test files' jobs share the database.
 */
describe('stuck jobs', () => {
  const clock = new TestClock();
  let api: TestApp;
  let scheduler: StuckJobsScheduler;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
    scheduler = api.app.get(StuckJobsScheduler);
    db = api.app.get(DataSource);
  });

  afterAll(() => api.close());

  const jobsOf = async (who: TestUser, projectId: number, pipelineId: number) =>
    (await client(api, who).get(`/projects/${projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body as {
      id: number;
      name: string;
      status: string;
      failure_reason?: string;
    }[];
  const pipelineStatus = async (who: TestUser, projectId: number, pipelineId: number) =>
    (await client(api, who).get(`/projects/${projectId}/pipelines/${pipelineId}`).expect(200)).body.status as string;

  async function runningJob() {
    const fixture = await createCiFixture(api, RUNNING);
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    return { ...fixture, pipelineId: pipeline.id, job };
  }

  describe('a running job whose runner stopped reporting', () => {
    it('fails with stuck_or_timeout_failure once its timeout and the hour of grace passed; its pipeline moves on', async () => {
      const { maintainer, projectId, pipelineId, job } = await runningJob();
      clock.advance(TIMEOUT + HOUR - 1);
      await scheduler.dropStuck([projectId]);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'running' });

      clock.advance(1);
      await scheduler.dropStuck([projectId]);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed', failure_reason: 'stuck_or_timeout_failure' });
      const jobs = await jobsOf(maintainer, projectId, pipelineId);
      expect(jobs.find((each) => each.name === 'build')).toMatchObject({ status: 'failed', failure_reason: 'stuck_or_timeout_failure' });
      expect(jobs.find((each) => each.name === 'deploy')).toMatchObject({ status: 'skipped' });
      expect(await pipelineStatus(maintainer, projectId, pipelineId)).toBe('failed');
    });

    it('refuses its job token from then on: log appends, updates and GET /job; its ID tokens have expired', async () => {
      const { job, projectId } = await runningJob();
      clock.advance(TIMEOUT + HOUR);
      await scheduler.dropStuck([projectId]);

      const append = await patchTrace(api, job, 0, 'late output\n').expect(403);
      expect(append.headers['job-status']).toBe('failed');
      const update = await updateJob(api, job, { state: 'success', log: '' }).expect(403);
      expect(update.headers['job-status']).toBe('failed');
      await api.http.get('/api/v4/job').set('JOB-TOKEN', job.token).expect(401);
      const issued: { exp: string }[] = await db.query('SELECT exp FROM ci_id_token_issuances WHERE build_id = $1', [job.id]);
      expect(issued).toHaveLength(1);
      expect(Number(issued[0].exp)).toBeLessThan(clock.now().getTime() / 1000);
    });

    it('is left running while its runner reports (a log append or a PUT), and fails an hour after the last report', async () => {
      for (const report of ['trace', 'put'] as const) {
        const { job, projectId } = await runningJob();
        clock.advance(TIMEOUT + HOUR - 60);
        if (report === 'trace') await patchTrace(api, job, 0, 'still here\n').expect(202);
        else await updateJob(api, job, { state: 'running', log: '' }).expect(200);
        clock.advance(120); // past the timeout and the grace, but reported a minute ago
        await scheduler.dropStuck([projectId]);
        expect(await buildRow(api, job.id)).toMatchObject({ status: 'running' });

        clock.advance(HOUR - 60);
        await scheduler.dropStuck([projectId]);
        expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed', failure_reason: 'stuck_or_timeout_failure' });
      }
    });

    it('is retried when its retry: allows stuck_or_timeout_failure', async () => {
      const fixture = await createCiFixture(
        api,
        'build:\n  script: [x]\n  timeout: 10 minutes\n  retry:\n    max: 1\n    when: stuck_or_timeout_failure\n',
      );
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const job = await takeJob(api, fixture.runnerToken);
      clock.advance(TIMEOUT + HOUR);
      await scheduler.dropStuck([fixture.projectId]);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed', failure_reason: 'stuck_or_timeout_failure' });
      expect(await db.query('SELECT retried FROM ci_builds WHERE id = $1', [job.id])).toEqual([{ retried: true }]);
      const [copy] = await jobsOf(fixture.maintainer, fixture.projectId, pipeline.id);
      expect(copy).toMatchObject({ name: 'build', status: 'pending' });
      expect(copy.id).not.toBe(job.id);
    });
  });

  describe('a pending job', () => {
    it('fails after an hour when no online runner can take it; the pipeline moves on to what a runner can take', async () => {
      const fixture = await createCiFixture(api, UNTAKEABLE);
      await requestJob(api, fixture.runnerToken).expect(204); // online, but without the gpu tag
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const [build] = (await jobsOf(fixture.maintainer, fixture.projectId, pipeline.id)).filter((each) => each.name === 'build');
      clock.advance(HOUR - 1);
      await scheduler.dropStuck([fixture.projectId]);
      expect(await buildRow(api, build.id)).toMatchObject({ status: 'pending' });

      clock.advance(1);
      await scheduler.dropStuck([fixture.projectId]);
      expect(await buildRow(api, build.id)).toMatchObject({ status: 'failed', failure_reason: 'stuck_or_timeout_failure' });
      expect(await db.query('SELECT 1 FROM ci_pending_builds WHERE build_id = $1', [build.id])).toEqual([]);
      const after = await takeJob(api, fixture.runnerToken);
      expect(after.job_info).toMatchObject({ name: 'after' });
    });

    it('waits while an online runner could take it, and fails after a day whatever runners there are', async () => {
      const fixture = await createCiFixture(api, 'build:\n  script: [x]\n');
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const [build] = await jobsOf(fixture.maintainer, fixture.projectId, pipeline.id);
      // The project's runner is online (it asked for jobs a moment ago) but has not come back for this one.
      const keepOnline = () => db.query('UPDATE ci_runners SET contacted_at = $2 WHERE project_id = $1', [fixture.projectId, clock.now()]);
      clock.advance(2 * HOUR);
      await keepOnline();
      await scheduler.dropStuck([fixture.projectId]);
      expect(await buildRow(api, build.id)).toMatchObject({ status: 'pending' });

      clock.advance(22 * HOUR - 1);
      await keepOnline();
      await scheduler.dropStuck([fixture.projectId]);
      expect(await buildRow(api, build.id)).toMatchObject({ status: 'pending' });

      clock.advance(1);
      await keepOnline();
      await scheduler.dropStuck([fixture.projectId]);
      expect(await buildRow(api, build.id)).toMatchObject({ status: 'failed', failure_reason: 'stuck_or_timeout_failure' });
      await requestJob(api, fixture.runnerToken).expect(204);
      expect(await pipelineStatus(fixture.maintainer, fixture.projectId, pipeline.id)).toBe('failed');
    });
  });

  onPostgres('runs on one replica at a time: while another holds the advisory lock, this one fails nothing', async () => {
    const { job, projectId } = await runningJob();
    clock.advance(TIMEOUT + HOUR);
    const other = db.createQueryRunner();
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [STUCK_JOBS_LOCK]);
      expect(await scheduler.dropStuck([projectId])).toBe(0);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'running' });
      await other.query('SELECT pg_advisory_unlock($1)', [STUCK_JOBS_LOCK]);
      expect(await scheduler.dropStuck([projectId])).toBeGreaterThanOrEqual(1);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed' });
    } finally {
      await other.release();
    }
  });

  it("fails nothing on a periodic turn while this replica's clock is hours off the database's", async () => {
    const { job, projectId } = await runningJob();
    clock.advance(TIMEOUT + HOUR);
    await scheduler.turn();
    expect(await buildRow(api, job.id)).toMatchObject({ status: 'running' });
    await scheduler.dropStuck([projectId]);
    expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed' });
  });

  it("fails stuck jobs on a periodic turn when this replica's clock agrees with the database's", async () => {
    const replica = await startTestApp({}, { clock: new TestClock() });
    try {
      const fixture = await createCiFixture(replica, RUNNING);
      await runPipeline(replica, fixture.maintainer, fixture.projectId);
      const job = await takeJob(replica, fixture.runnerToken);
      await db.query(`UPDATE ci_builds SET started_at = now() - interval '2 hours' WHERE id = $1`, [job.id]);
      await replica.app.get(StuckJobsScheduler).turn();
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed', failure_reason: 'stuck_or_timeout_failure' });
    } finally {
      await replica.close();
    }
  });
});
