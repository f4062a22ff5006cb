import { DataSource } from 'typeorm';
import { CiFixture, createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { createRunner, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

/** Each race runs this many times on fresh pipelines: a lock cycle shows in a few rounds, not necessarily in one. */
const ROUNDS = 6;
const JOBS = 6;
const RUNNERS = 4;

const config = (jobs: number) =>
  [
    'stages: [test, deploy]',
    ...Array.from({ length: jobs }, (_, i) => `job-${i}:\n  stage: test\n  script: echo ${i}`),
    'next:\n  stage: deploy\n  script: echo next',
  ].join('\n');

interface Taken {
  readonly id: number;
  readonly token: string;
}

/**
 * Issue 19 (lock order): a runner's pickup, its job updates, a user's cancel and retry of jobs and pipelines, raced
 * in pairs on one pipeline's rows. None may answer 5xx (a deadlock PostgreSQL broke included), no job goes to two
 * runners, and every job ends in a state the others agree with.
 */
describe('Lock order between pickup, job updates, cancel and retry', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let runnerTokens: string[];
  let base: string;

  beforeAll(async () => {
    api = await startTestApp();
  });

  beforeEach(async () => {
    fixture = await createCiFixture(api, config(JOBS));
    base = `/projects/${fixture.projectId}`;
    const extra = await Promise.all(
      Array.from({ length: RUNNERS - 1 }, () =>
        createRunner(api, fixture.maintainer, { runner_type: 'project_type', project_id: fixture.projectId }),
      ),
    );
    runnerTokens = [fixture.runnerToken, ...extra.map((runner) => runner.token)];
  });

  afterAll(() => api.close());

  const db = () => api.app.get(DataSource);
  const user = () => client(api, fixture.maintainer);

  /** Every runner polls until the queue is empty; a 5xx fails the test with its body. */
  async function drain(): Promise<Taken[]> {
    const poll = async (token: string) => {
      const taken: Taken[] = [];
      for (;;) {
        const response = await requestJob(api, token);
        if (response.status === 204) return taken;
        if (response.status !== 201) throw new Error(`pickup answered ${response.status} ${JSON.stringify(response.body)}`);
        taken.push({ id: response.body.id, token: response.body.token });
      }
    };
    return (await Promise.all(runnerTokens.map(poll))).flat();
  }

  async function jobs(pipelineId: number): Promise<Map<number, { name: string; status: string; retried: boolean }>> {
    const rows: { id: string; name: string; status: string; retried: boolean }[] = await db().query(
      'SELECT id, name, status, retried FROM ci_builds WHERE pipeline_id = $1 ORDER BY id',
      [pipelineId],
    );
    return new Map(rows.map((row) => [Number(row.id), { name: row.name, status: row.status, retried: row.retried }]));
  }

  /** Queue rows belong to pending jobs only, and every pending job has one. */
  async function expectQueueConsistent(pipelineId: number): Promise<void> {
    const mismatched = await db().query(
      `SELECT b.id, b.status, q.build_id FROM ci_builds b LEFT JOIN ci_pending_builds q ON q.build_id = b.id
        WHERE b.pipeline_id = $1 AND (b.status = 'pending') <> (q.build_id IS NOT NULL)`,
      [pipelineId],
    );
    expect(mismatched).toEqual([]);
  }

  const expectNoDuplicates = (taken: Taken[]) => expect(new Set(taken.map((job) => job.id)).size).toBe(taken.length);
  const serverErrors = (statuses: number[]) => statuses.filter((status) => status >= 500);

  it('pickup vs job cancel: each job is either running for the one runner that took it or canceled', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const ids = [...(await jobs(pipeline.id)).keys()].filter((_, i) => i < JOBS);
      const [taken, cancels] = await Promise.all([drain(), Promise.all(ids.map((id) => user().post(`${base}/jobs/${id}/cancel`)))]);
      expect(serverErrors(cancels.map((response) => response.status))).toEqual([]);
      expectNoDuplicates(taken);
      const after = await jobs(pipeline.id);
      const takenIds = new Set(taken.map((job) => job.id));
      for (const id of ids)
        expect([id, after.get(id)!.status]).toEqual([id, takenIds.has(id) ? expect.stringMatching(/^(running|canceled)$/) : 'canceled']);
      await expectQueueConsistent(pipeline.id);
      await user().post(`${base}/pipelines/${pipeline.id}/cancel`).expect(200);
    }
  });

  it('pickup vs PUT /jobs finishing another job of the pipeline: every job once, then the pipeline succeeds', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const first = await takeJob(api, runnerTokens[0]);
      const [rest, finished] = await Promise.all([drain(), finishJob(api, first.id, first.token, 'success')]);
      expect(finished.status).toBe(200);
      const all = [{ id: first.id, token: first.token }, ...rest];
      expectNoDuplicates(all);
      expect(all.filter((job) => job.id !== first.id)).toHaveLength(JOBS - 1);
      const results = await Promise.all(rest.map((job) => finishJob(api, job.id, job.token, 'success')));
      expect(results.map((response) => response.status)).toEqual(rest.map(() => 200));
      const next = await drain();
      expect(next).toHaveLength(1);
      await finishJob(api, next[0].id, next[0].token, 'success').expect(200);
      expect((await user().get(`${base}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('success');
      await expectQueueConsistent(pipeline.id);
    }
  });

  it('PUT /jobs of every job of one stage at once: all accepted, the next stage queued once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const taken = await drain();
      expect(taken).toHaveLength(JOBS);
      const results = await Promise.all(
        taken.map((job, i) => finishJob(api, job.id, job.token, i % 2 ? 'success' : 'failed', i % 2 ? undefined : 'script_failure')),
      );
      expect(results.map((response) => response.status)).toEqual(taken.map(() => 200));
      // A failed job skips the next stage: nothing left to run, the pipeline failed.
      expect(await drain()).toEqual([]);
      expect((await user().get(`${base}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('failed');
      expect([...(await jobs(pipeline.id)).values()].find((job) => job.name === 'next')!.status).toBe('skipped');
    }
  });

  it('pipeline cancel vs PUT /jobs: a job is success if its update was accepted, canceled otherwise', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const taken = await drain();
      const [cancel, ...results] = await Promise.all([
        user().post(`${base}/pipelines/${pipeline.id}/cancel`),
        ...taken.map((job) => finishJob(api, job.id, job.token, 'success')),
      ]);
      expect(serverErrors([cancel.status, ...results.map((response) => response.status)])).toEqual([]);
      expect(cancel.status).toBe(200);
      const after = await jobs(pipeline.id);
      taken.forEach((job, i) =>
        expect([job.id, after.get(job.id)!.status]).toEqual([job.id, results[i].status === 200 ? 'success' : 'canceled']),
      );
      expect(results.every((response) => response.status === 200 || response.status === 403)).toBe(true);
      expect(['canceled', 'success']).toContain((await user().get(`${base}/pipelines/${pipeline.id}`).expect(200)).body.status);
      await expectQueueConsistent(pipeline.id);
      expect(await drain()).toEqual([]);
    }
  });

  it('job retry vs pickup: each copy goes to exactly one runner', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const taken = await drain();
      await Promise.all(taken.map((job) => finishJob(api, job.id, job.token, 'failed', 'script_failure').expect(200)));
      const [retries, picked] = await Promise.all([Promise.all(taken.map((job) => user().post(`${base}/jobs/${job.id}/retry`))), drain()]);
      expect(retries.map((response) => response.status)).toEqual(taken.map(() => 201));
      const all = [...picked, ...(await drain())];
      expectNoDuplicates(all);
      expect(all.map((job) => job.id).sort()).toEqual(retries.map((response) => response.body.id).sort());
      const after = await jobs(pipeline.id);
      expect(all.filter((job) => after.get(job.id)!.status !== 'running')).toEqual([]);
      await expectQueueConsistent(pipeline.id);
      await user().post(`${base}/pipelines/${pipeline.id}/cancel`).expect(200);
    }
  });

  it('pipeline delete vs pickup and PUT /jobs: the delete succeeds, no 5xx', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const first = await takeJob(api, runnerTokens[0]);
      const [removed, finished] = await Promise.all([
        user().delete(`${base}/pipelines/${pipeline.id}`),
        finishJob(api, first.id, first.token, 'success'),
        drain(),
      ]);
      expect(removed.status).toBe(204);
      expect([finished.status, finished.body]).toEqual([expect.any(Number), expect.anything()]);
      expect(serverErrors([finished.status])).toEqual([]);
      expect((await jobs(pipeline.id)).size).toBe(0);
    }
  });
});
