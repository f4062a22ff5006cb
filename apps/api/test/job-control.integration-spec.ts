import { DataSource } from 'typeorm';
import { CiFixture, createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, runPipeline, takeJob } from './support/runner-fixtures';
import { patchTrace, updateJob } from './support/runner-protocol';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const CONFIG = `
build:
  stage: build
  script: make
  id_tokens:
    TOKEN:
      aud: https://verifier.example
deploy:
  stage: deploy
  script: ./deploy
`;

interface Job {
  id: number;
  name: string;
  status: string;
  erased_at: string | null;
}

/** Issue 18, item 5: `POST /projects/:id/jobs/:job_id/cancel`, `/retry`, `/erase` and `GET …/jobs?scope[]=`, as GitLab's. */
describe('Job control', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let reporter: TestUser;
  let base: string;
  const db = () => api.app.get(DataSource);
  const jobsOf = async (pipelineId: number, query = '') =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}/jobs${query}`).expect(200)).body as Job[];
  const byName = async (pipelineId: number, name: string) => (await jobsOf(pipelineId)).find((job) => job.name === name)!;
  const pipelineStatus = async (pipelineId: number) =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}`).expect(200)).body.status as string;
  const audit = async (jobId: number) =>
    (
      (await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/ci/id_token_issuances`).expect(200)).body as {
        job_id: number;
        superseded_at: string | null;
        superseded_reason: string | null;
        superseded_by_job_id: number | null;
      }[]
    ).filter((row) => row.job_id === jobId);
  /** A pipeline whose build a runner is running. */
  const running = async (ref = 'main') => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, ref);
    const job = await takeJob(api, fixture.runnerToken);
    return { pipeline, job };
  };

  beforeAll(async () => {
    api = await startTestApp();
  });

  // A project (and runner) per test: a job one test leaves pending is not another's to take.
  beforeEach(async () => {
    fixture = await createCiFixture(api, CONFIG);
    base = `/projects/${fixture.projectId}`;
    [developer, reporter] = await Promise.all([createUser(api, 'dev'), createUser(api, 'rep')]);
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, reporter, 20);
    await client(api, fixture.maintainer).post(`${base}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
  });

  afterAll(() => api.close());

  describe('cancel', () => {
    it('cancels a running job: 201; its runner is told to stop; its tokens are refused and its ID tokens superseded', async () => {
      const { pipeline, job } = await running();
      const canceled = await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/cancel`).expect(201);
      expect(canceled.body).toMatchObject({ id: job.id, status: 'canceled' });
      expect(canceled.body.finished_at).not.toBeNull();

      const append = await patchTrace(api, job, 0, 'more output\n').expect(403);
      expect(append.headers['job-status']).toBe('canceled');
      const update = await updateJob(api, job, { state: 'success', log: '' }).expect(403);
      expect(update.headers['job-status']).toBe('canceled');
      await api.http.get('/api/v4/job').set('JOB-TOKEN', job.token).expect(401);
      const [issued] = await audit(job.id);
      expect(issued).toMatchObject({ superseded_reason: 'canceled', superseded_by_job_id: null });
      expect(issued.superseded_at).not.toBeNull();

      expect((await byName(pipeline.id, 'deploy')).status).toBe('skipped');
      expect(await pipelineStatus(pipeline.id)).toBe('canceled');
    });

    it('cancels a pending job: it leaves the queue', async () => {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const build = await byName(pipeline.id, 'build');
      await client(api, fixture.maintainer).post(`${base}/jobs/${build.id}/cancel`).expect(201);
      expect(await buildRow(api, build.id)).toMatchObject({ status: 'canceled' });
      await requestJob(api, fixture.runnerToken).expect(204);
    });

    it('answers a finished job as it is (GitLab cancels nothing and answers 201)', async () => {
      const { job } = await running();
      await finishJob(api, job.id, job.token, 'success').expect(200);
      const answer = await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/cancel`).expect(201);
      expect(answer.body.status).toBe('success');
      await client(api, fixture.maintainer).post(`${base}/jobs/999999999/cancel`).expect(404);
    });

    it('refuses a reporter, and a developer on protected main; a developer cancels on an unprotected branch', async () => {
      const { job } = await running();
      await client(api, reporter).post(`${base}/jobs/${job.id}/cancel`).expect(403);
      await client(api, developer).post(`${base}/jobs/${job.id}/cancel`).expect(403);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'running' });
      await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/cancel`).expect(201);

      const feature = await running('feature');
      await client(api, developer).post(`${base}/jobs/${feature.job.id}/cancel`).expect(201);
    });
  });

  describe('retry', () => {
    it('replaces a failed job by a new one with a new id and new tokens; the old one is retried, its ID tokens superseded', async () => {
      const { pipeline, job } = await running();
      await finishJob(api, job.id, job.token, 'failed').expect(200);
      expect(await pipelineStatus(pipeline.id)).toBe('failed');

      const retried = await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/retry`).expect(201);
      expect(retried.body).toMatchObject({ name: 'build', status: 'pending' });
      expect(retried.body.id).not.toBe(job.id);
      expect((await byName(pipeline.id, 'deploy')).status).toBe('created');
      expect(await pipelineStatus(pipeline.id)).toBe('pending');
      const all = await jobsOf(pipeline.id, '?include_retried=true');
      expect(all.filter((each) => each.name === 'build').map((each) => each.id)).toEqual([job.id, retried.body.id]);

      const again = await takeJob(api, fixture.runnerToken);
      expect(again.id).toBe(retried.body.id);
      expect(again.token).not.toBe(job.token);
      const [old] = await audit(job.id);
      expect(old).toMatchObject({ superseded_reason: 'retried', superseded_by_job_id: again.id });
      expect(await audit(again.id)).toEqual([expect.objectContaining({ superseded_at: null, superseded_reason: null })]);
      await finishJob(api, again.id, again.token, 'success').expect(200);
      expect((await byName(pipeline.id, 'deploy')).status).toBe('pending');
    });

    it('refuses what is not retryable: a running job, a job already retried (403 Job is not retryable)', async () => {
      const { job } = await running();
      const refused = await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/retry`).expect(403);
      expect(refused.body).toEqual({ message: '403 Forbidden - Job is not retryable' });
      await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/cancel`).expect(201);
      await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/retry`).expect(201);
      await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/retry`).expect(403);
    });

    it('refuses a reporter and a developer on protected main', async () => {
      const { job } = await running();
      await finishJob(api, job.id, job.token, 'failed').expect(200);
      await client(api, reporter).post(`${base}/jobs/${job.id}/retry`).expect(403);
      await client(api, developer).post(`${base}/jobs/${job.id}/retry`).expect(403);
      expect(await db().query('SELECT retried FROM ci_builds WHERE id = $1', [job.id])).toEqual([{ retried: false }]);
    });
  });

  describe('erase', () => {
    it("removes a finished job's log and records when and by whom; a second erase is 403 Job is not erasable!", async () => {
      const { job } = await running();
      await patchTrace(api, job, 0, 'secret-free output\n').expect(202);
      await finishJob(api, job.id, job.token, 'success').expect(200);

      const erased = await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/erase`).expect(201);
      expect(erased.body.erased_at).not.toBeNull();
      const trace = await client(api, fixture.maintainer).get(`${base}/jobs/${job.id}/trace`).expect(200);
      expect(trace.text).toBe('');
      const [row] = await db().query('SELECT erased_by_id FROM ci_builds WHERE id = $1', [job.id]);
      expect(Number(row.erased_by_id)).toBe(fixture.maintainer.id);
      expect(await db().query('SELECT count(*)::int AS n FROM ci_job_trace_chunks WHERE build_id = $1', [job.id])).toEqual([{ n: 0 }]);

      const again = await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/erase`).expect(403);
      expect(again.body).toEqual({ message: '403 Forbidden - Job is not erasable!' });
    });

    it('refuses a running job, a reporter, and a developer who did not start the job', async () => {
      const { job } = await running('feature');
      await patchTrace(api, job, 0, 'output\n').expect(202);
      await client(api, fixture.maintainer).post(`${base}/jobs/${job.id}/erase`).expect(403);
      await finishJob(api, job.id, job.token, 'success').expect(200);
      await client(api, reporter).post(`${base}/jobs/${job.id}/erase`).expect(403);
      await client(api, developer).post(`${base}/jobs/${job.id}/erase`).expect(403);
      expect((await client(api, fixture.maintainer).get(`${base}/jobs/${job.id}`).expect(200)).body.erased_at).toBeNull();
    });
  });

  describe('GET …/jobs?scope[]=', () => {
    it('lists the jobs in the statuses asked for, project-wide and in a pipeline; an unknown scope is 400', async () => {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, 'feature');
      const scoped = async (path: string, query: string) =>
        ((await client(api, fixture.maintainer).get(`${path}?${query}`).expect(200)).body as Job[]).map((each) => each.status);

      expect(await scoped(`${base}/pipelines/${pipeline.id}/jobs`, 'scope[]=created')).toEqual(['created']);
      expect(await scoped(`${base}/pipelines/${pipeline.id}/jobs`, 'scope[]=pending&scope[]=created')).toEqual(['pending', 'created']);
      expect(await scoped(`${base}/pipelines/${pipeline.id}/jobs`, 'scope=pending')).toEqual(['pending']);
      expect(await scoped(`${base}/jobs`, 'scope[]=pending')).toEqual(['pending']);
      expect(await scoped(`${base}/jobs`, 'scope[]=success&scope[]=running')).toEqual([]);
      expect(await scoped(`${base}/jobs`, '')).toEqual(['created', 'pending']);

      for (const path of [`${base}/jobs`, `${base}/pipelines/${pipeline.id}/jobs`]) {
        const refused = await client(api, fixture.maintainer).get(`${path}?scope[]=pending&scope[]=bogus`).expect(400);
        // Grape's own wording and shape (issue 18, item 10).
        expect(refused.body).toEqual({ error: 'scope does not have a valid value' });
      }
    });
  });
});
