import { JobUpdateService } from '../src/builds/job-update.service';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { buildRow, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

const STAGES = `
stages: [build, test, deploy]
build-a:
  stage: build
  script: echo a
build-b:
  stage: build
  script: echo b
test:
  stage: test
  script: echo test
deploy:
  stage: deploy
  script: echo deploy
`;

const ONE_JOB = `
only-job:
  script: echo hi
`;

describe(JobUpdateService.name, () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'update-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser) => client(api, user);
  const put = (id: number | string, body: unknown) => api.http.put(`/api/v4/jobs/${id}`).send(body as object);
  const showJob = async (projectId: number, jobId: number) =>
    (await as(owner).get(`/projects/${projectId}/jobs/${jobId}`).expect(200)).body;

  it('records success and shows status, runner and times on the job, without a failure_reason', async () => {
    const fixture = await createCiFixture(api, ONE_JOB, { owner });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const running = await showJob(fixture.projectId, job.id);
    expect(running).toMatchObject({ status: 'running', runner: { id: expect.any(Number), runner_type: 'project_type', is_shared: false } });
    expect(running.started_at).toEqual(expect.any(String));
    expect(running.finished_at).toBeNull();
    expect(running).not.toHaveProperty('failure_reason');

    await put(job.id, { token: job.token, state: 'running' }).expect(200);
    const finished = await finishJob(api, job.id, job.token, 'success').expect(200);
    expect(finished.body).toMatchObject({ id: job.id, status: 'success' });
    const shown = await showJob(fixture.projectId, job.id);
    expect(shown).toMatchObject({ status: 'success', runner: { id: running.runner.id } });
    expect(Date.parse(shown.finished_at)).toBeGreaterThanOrEqual(Date.parse(shown.started_at));
    expect(shown).not.toHaveProperty('failure_reason');
    expect((await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('success');
  });

  it('fails the pipeline when a job fails, skips the later stages and lets the running sibling finish', async () => {
    const fixture = await createCiFixture(api, STAGES, { owner });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    const first = await takeJob(api, fixture.runnerToken);
    const second = await takeJob(api, fixture.runnerToken);
    await finishJob(api, first.id, first.token, 'failed', 'script_failure').expect(200);
    const failed = await showJob(fixture.projectId, first.id);
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'script_failure' });
    expect((await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('running');
    await requestJob(api, fixture.runnerToken).expect(204);

    await finishJob(api, second.id, second.token, 'success').expect(200);
    const jobs = (await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}/jobs`).expect(200)).body;
    expect(jobs.map((job: { name: string; status: string }) => [job.name, job.status])).toEqual([
      [first.job_info.name, 'failed'],
      [second.job_info.name, 'success'],
      ['test', 'skipped'],
      ['deploy', 'skipped'],
    ]);
    expect((await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('failed');
  });

  it('records unknown_failure when a failed job names no reason', async () => {
    const fixture = await createCiFixture(api, ONE_JOB, { owner });
    await runPipeline(api, owner, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    await put(job.id, { token: job.token, state: 'failed' }).expect(200);
    expect(await showJob(fixture.projectId, job.id)).toMatchObject({ status: 'failed', failure_reason: 'unknown_failure' });
  });

  it('answers 400 naming failure_reason or state when they are not ones a runner may report', async () => {
    const fixture = await createCiFixture(api, ONE_JOB, { owner });
    await runPipeline(api, owner, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const reason = await put(job.id, { token: job.token, state: 'failed', failure_reason: 'cosmic_rays' }).expect(400);
    expect(refusedFields(reason.body)).toEqual(['failure_reason']);
    const serverReason = await put(job.id, { token: job.token, state: 'failed', failure_reason: 'secrets_provider_not_found' }).expect(400);
    expect(refusedFields(serverReason.body)).toEqual(['failure_reason']);
    const state = await put(job.id, { token: job.token, state: 'exploded' }).expect(400);
    expect(refusedFields(state.body)).toEqual(['state']);
    expect(await buildRow(api, job.id)).toMatchObject({ status: 'running', failure_reason: null });
  });

  it("refuses with 403 a wrong token, another job's token and the token of a finished job", async () => {
    const fixture = await createCiFixture(api, `${ONE_JOB}\nother-job:\n  script: echo\n`, { owner });
    await runPipeline(api, owner, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const other = await takeJob(api, fixture.runnerToken);
    await finishJob(api, job.id, 'glcbt-not-the-token', 'success').expect(403);
    await finishJob(api, job.id, fixture.runnerToken, 'success').expect(403);
    await finishJob(api, job.id, other.token, 'success').expect(403);
    await finishJob(api, 99_999_999, job.token, 'success').expect(403);
    expect(await buildRow(api, job.id)).toMatchObject({ status: 'running' });

    const elsewhere = await createCiFixture(api, ONE_JOB, { owner });
    await as(owner).get(`/projects/${elsewhere.projectId}/jobs/${job.id}`).expect(404);

    await finishJob(api, job.id, job.token, 'success').expect(200);
    await finishJob(api, job.id, job.token, 'failed').expect(403);
    await put(job.id, { token: job.token, state: 'running' }).expect(403);
    expect(await buildRow(api, job.id)).toMatchObject({ status: 'success', failure_reason: null });
    await finishJob(api, other.id, other.token, 'success').expect(200);
  });

  describe('malformed requests are answered, never with a 500', () => {
    let jobId: number;
    let jobToken: string;
    let runnerToken: string;

    beforeAll(async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      await runPipeline(api, owner, fixture.projectId);
      const job = await takeJob(api, fixture.runnerToken);
      [jobId, jobToken, runnerToken] = [job.id, job.token, fixture.runnerToken];
    });

    it.each([
      ['no token', 400, {}],
      ['a numeric token', 400, { token: 12345 }],
      ['a null token', 400, { token: null }],
      ['an object token', 400, { token: { $ne: '' } }],
      ['a 10 kB token', 400, { token: `glrt-${'a'.repeat(10_000)}` }],
      ['a token with a NUL byte', 403, { token: 'glrt-\u0000' }],
      ['info that is not an object', 400, { token: 'glrt-x', info: 'runner' }],
      ['an array body', 400, [{ token: 'glrt-x' }]],
    ])('POST /jobs/request with %s → %i', async (_, status, body) => {
      await api.http
        .post('/api/v4/jobs/request')
        .send(body as object)
        .expect(status);
    });

    it.each(['/jobs/request', '/jobs/1'])('%s with a body that is not valid JSON → 400', async (path) => {
      const method = path === '/jobs/request' ? 'post' : 'put';
      await api.http[method](`/api/v4${path}`).set('Content-Type', 'application/json').send('{"token": "glrt-').expect(400);
    });

    it('POST /jobs/request with a form-encoded body reads the token as GitLab does', async () => {
      await api.http
        .post('/api/v4/jobs/request')
        .type('form')
        .send(`token=${encodeURIComponent(runnerToken)}`)
        .expect(204);
    });

    it.each([
      ['id abc', 400, 'abc', { state: 'success' }],
      ['id 1.5', 400, '1.5', { state: 'success' }],
      ['id beyond bigint', 400, '99999999999999999999', { state: 'success' }],
      ['id -1', 403, '-1', { state: 'success' }],
      ['no token', 400, null, { token: undefined, state: 'success' }],
      ['a numeric token', 400, null, { token: 12345, state: 'success' }],
      ['a 10 kB token', 400, null, { token: `glcbt-${'a'.repeat(10_000)}`, state: 'success' }],
      ['a state that is not a string', 400, null, { state: ['success'] }],
    ])('PUT /jobs/:id with %s → %i', async (_, status, id, body) => {
      await put(id ?? jobId, 'token' in body ? body : { token: jobToken, ...body }).expect(status);
    });

    afterAll(async () => {
      expect(await buildRow(api, jobId)).toMatchObject({ status: 'running' });
    });
  });
});
