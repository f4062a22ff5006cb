import { DataSource } from 'typeorm';
import { LISTENER_NAME, RunnerChangeListener } from '../src/runners/runner-change-listener';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { buildRow, runPipeline } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const ONE_JOB = 'build:\n  script: [x]\n';
/** Replicas, notifications between them and terminated backends are PostgreSQL's: the embedded database has one session. */
const onPostgres = process.env.LANYARD_TEST_EMBEDDED ? describe.skip : describe;

/**
 * Issue 18, item 7: a runner paused, deleted or given a new token through one replica gets nothing from another at its
 * very next poll. Both replicas run on clocks that stand still, so a runner session they cached never expires by
 * itself: only the PostgreSQL notification can end it.
 */
onPostgres('runner sessions across replicas', () => {
  let a: TestApp;
  let b: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    a = await startTestApp({}, { clock: new TestClock() });
    b = await startTestApp({}, { clock: new TestClock() });
    db = a.app.get(DataSource);
    for (const replica of [a, b]) await until(() => replica.app.get(RunnerChangeListener).trusted());
  });

  afterAll(async () => {
    await a.close();
    await b.close();
  });

  /** A runner whose session replica A has cached, a pending job it could take, and its id. */
  async function cachedOnA() {
    const fixture = await createCiFixture(a, ONE_JOB);
    await requestJob(a, fixture.runnerToken).expect(204);
    const pipeline = await runPipeline(a, fixture.maintainer, fixture.projectId);
    const [{ id: jobId }] = await db.query('SELECT id FROM ci_builds WHERE pipeline_id = $1', [pipeline.id]);
    const [{ id: runnerId }] = await db.query('SELECT id FROM ci_runners WHERE project_id = $1', [fixture.projectId]);
    return { ...fixture, jobId: Number(jobId), runnerId: Number(runnerId) };
  }

  it('refuses a runner paused through the other replica at its next poll, and hands it nothing', async () => {
    const runner = await cachedOnA();
    await client(b, runner.maintainer).put(`/runners/${runner.runnerId}`, { paused: true }).expect(200);
    await requestJob(a, runner.runnerToken).expect(403);
    expect(await buildRow(a, runner.jobId)).toMatchObject({ status: 'pending', runner_id: null, token_digest: null });
    await client(b, runner.maintainer).put(`/runners/${runner.runnerId}`, { paused: false }).expect(200);
    expect((await requestJob(a, runner.runnerToken).expect(201)).body.id).toBe(runner.jobId);
  });

  it('refuses the old token of a runner reset through the other replica at its next poll; the new one works', async () => {
    const runner = await cachedOnA();
    const reset = await client(b, runner.maintainer).post(`/runners/${runner.runnerId}/reset_authentication_token`).expect(201);
    await requestJob(a, runner.runnerToken).expect(403);
    expect(await buildRow(a, runner.jobId)).toMatchObject({ status: 'pending', runner_id: null });
    expect((await requestJob(a, reset.body.token).expect(201)).body.id).toBe(runner.jobId);
  });

  it('refuses a runner deleted through the other replica at its next poll', async () => {
    const runner = await cachedOnA();
    await client(b, runner.maintainer).delete(`/runners/${runner.runnerId}`).expect(204);
    await requestJob(a, runner.runnerToken).expect(403);
    expect(await buildRow(a, runner.jobId)).toMatchObject({ status: 'pending', runner_id: null });
  });

  it('still trusts a session nothing changed (the cache spares the read)', async () => {
    const runner = await cachedOnA();
    // Paused behind every replica's back: no notification, so A's session stands until it expires.
    await db.query('UPDATE ci_runners SET active = false WHERE id = $1', [runner.runnerId]);
    await requestJob(a, runner.runnerToken).expect(204);
    await requestJob(b, runner.runnerToken).expect(403);
  });

  it('trusts no cached session while the notifications are lost, and trusts them again once they are back', async () => {
    const runner = await cachedOnA();
    await db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [
      LISTENER_NAME,
    ]);
    await until(() => !a.app.get(RunnerChangeListener).trusted());
    // Paused behind every replica's back: with nothing to tell A, A reads the runner on every poll.
    await db.query('UPDATE ci_runners SET active = false WHERE id = $1', [runner.runnerId]);
    await requestJob(a, runner.runnerToken).expect(403);
    await db.query('UPDATE ci_runners SET active = true WHERE id = $1', [runner.runnerId]);
    await until(() => a.app.get(RunnerChangeListener).trusted(), 10_000);
    expect((await requestJob(a, runner.runnerToken).expect(201)).body.id).toBe(runner.jobId);
  });
});

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  for (const started = Date.now(); !condition() && Date.now() - started < timeoutMs;)
    await new Promise((resolve) => setTimeout(resolve, 20));
  if (!condition()) throw new Error('the condition never held');
}
