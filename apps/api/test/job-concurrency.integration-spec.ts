import { DataSource } from 'typeorm';
import { PickupService } from '../src/pickup/pickup.service';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { createRunner, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const JOB_COUNT = 200;
const RUNNER_COUNT = 8;
// Jest reads testTimeout only from the root config, not from the integration project's.
const SLOW_TEST_MS = 180_000;

const manyJobs = (count: number) =>
  [
    'stages: [test]',
    ...Array.from({ length: count }, (_, i) => `job-${String(i).padStart(3, '0')}:\n  stage: test\n  script: echo ${i}`),
  ].join('\n');

interface Assignment {
  readonly runnerId: number;
  readonly jobId: number;
  readonly token: string;
}

describe(`${PickupService.name} under concurrency`, () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'concurrency');
  });

  afterAll(() => api.close());

  const db = () => api.app.get(DataSource);

  /** One runner's poll loop: asks until it is told there is nothing left. */
  async function pollUntilEmpty(runner: { id: number; token: string }): Promise<Assignment[]> {
    const taken: Assignment[] = [];
    for (;;) {
      const response = await requestJob(api, runner.token);
      if (response.status === 204) return taken;
      if (response.status !== 201) throw new Error(`runner ${runner.id}: ${response.status} ${JSON.stringify(response.body)}`);
      taken.push({ runnerId: runner.id, jobId: response.body.id, token: response.body.token });
    }
  }

  it(
    `hands each of ${JOB_COUNT} jobs to exactly one of ${RUNNER_COUNT} runners polling at once, then the pipeline succeeds`,
    async () => {
      const fixture = await createCiFixture(api, manyJobs(JOB_COUNT), { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const runners = await Promise.all(
        Array.from({ length: RUNNER_COUNT }, () =>
          createRunner(api, owner, { runner_type: 'project_type', project_id: fixture.projectId }),
        ),
      );

      const assignments = (await Promise.all(runners.map(pollUntilEmpty))).flat();

      const jobIds = assignments.map((assignment) => assignment.jobId);
      expect(new Set(jobIds).size).toBe(jobIds.length);
      const rows: { id: number; status: string; runner_id: number | null }[] = await db().query(
        'SELECT id, status, runner_id FROM ci_builds WHERE pipeline_id = $1 ORDER BY id',
        [pipeline.id],
      );
      expect(rows).toHaveLength(JOB_COUNT);
      expect([...jobIds].sort((a, b) => a - b)).toEqual(rows.map((row) => row.id));
      const runnerOf = new Map(assignments.map((assignment) => [assignment.jobId, assignment.runnerId]));
      expect(rows.filter((row) => row.status !== 'running' || row.runner_id !== runnerOf.get(row.id))).toEqual([]);
      expect(new Set(assignments.map((assignment) => assignment.token)).size).toBe(JOB_COUNT);

      const finished = await Promise.all(assignments.map((assignment) => finishJob(api, assignment.jobId, assignment.token, 'success')));
      expect(finished.filter((response) => response.status !== 200).map((response) => response.status)).toEqual([]);
      const done = await client(api, owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200);
      expect(done.body.status).toBe('success');
      const [counts] = await db().query(
        `SELECT count(*) FILTER (WHERE status = 'success') AS success, count(*) AS total FROM ci_builds WHERE pipeline_id = $1`,
        [pipeline.id],
      );
      expect(counts).toEqual({ success: JOB_COUNT, total: JOB_COUNT });
    },
    SLOW_TEST_MS,
  );

  it('gives a runner that retries after a lost response the next job, never the same one again (E10)', async () => {
    const fixture = await createCiFixture(api, manyJobs(3), { owner });
    await runPipeline(api, owner, fixture.projectId);
    const lost = await takeJob(api, fixture.runnerToken);
    const retried = await takeJob(api, fixture.runnerToken);
    expect(retried.id).not.toBe(lost.id);
    const [a, b] = await Promise.all([requestJob(api, fixture.runnerToken), requestJob(api, fixture.runnerToken)]);
    expect([a.status, b.status].sort()).toEqual([201, 204]);
    const third = a.status === 201 ? a.body : b.body;
    expect(new Set([lost.id, retried.id, third.id]).size).toBe(3);
    await requestJob(api, fixture.runnerToken).expect(204);
  });

  it('accepts exactly one of two concurrent reports finishing the same job', async () => {
    const fixture = await createCiFixture(api, manyJobs(1), { owner });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const responses = await Promise.all([
      finishJob(api, job.id, job.token, 'success'),
      finishJob(api, job.id, job.token, 'failed', 'script_failure'),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 403]);
    const winner = responses.find((response) => response.status === 200)!.body.status;
    const shown = await client(api, owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200);
    expect(shown.body.status).toBe(winner);
  });

  it('lets two concurrent finishes of sibling jobs move the pipeline on exactly once', async () => {
    const fixture = await createCiFixture(
      api,
      `${manyJobs(2)}\n  \nnext:\n  stage: deploy\n  script: echo\n`.replace('stages: [test]', 'stages: [test, deploy]'),
      {
        owner,
      },
    );
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    const jobs = [await takeJob(api, fixture.runnerToken), await takeJob(api, fixture.runnerToken)];
    const responses = await Promise.all(jobs.map((job) => finishJob(api, job.id, job.token, 'success')));
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const next = await takeJob(api, fixture.runnerToken);
    expect(next.job_info.name).toBe('next');
    await requestJob(api, fixture.runnerToken).expect(204);
    await finishJob(api, next.id, next.token, 'success').expect(200);
    expect((await client(api, owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe(
      'success',
    );
  });
});
