import { CurrentJobService } from '../src/job-logs/current-job.service';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { runPipeline, takeJob } from './support/runner-fixtures';
import { updateJob } from './support/runner-protocol';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

const ONE_JOB = 'only-job:\n  script: echo hi\n';

/** `DELETE /runners` and `DELETE /runners/managers` as gitlab-runner's `UnregisterRunner(Manager)` sends them. */
function unregister(api: TestApp, path: 'runners' | 'runners/managers', body: Record<string, string>) {
  const request = api.http.delete(`/api/v4/${path}`).set('Content-Type', 'application/json');
  return (body.token ? request.set('Runner-Token', body.token) : request).send(body);
}

describe(CurrentJobService.name, () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'lifecycle-owner');
  });

  afterAll(() => api.close());

  it("answers GET /job with the running job's object for its token, in the header or job_token, and 401 otherwise", async () => {
    const fixture = await createCiFixture(api, ONE_JOB, { owner });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);

    const byHeader = await api.http.get('/api/v4/job').set('JOB-TOKEN', job.token).expect(200);
    expect(byHeader.body).toMatchObject({ id: job.id, name: 'only-job', status: 'running', pipeline: { id: pipeline.id } });
    expect(byHeader.body.web_url).toMatch(new RegExp(`/-/jobs/${job.id}$`));
    const byParameter = await api.http.get(`/api/v4/job?job_token=${encodeURIComponent(job.token)}`).expect(200);
    expect(byParameter.body.id).toBe(job.id);

    await api.http.get('/api/v4/job').expect(401);
    await api.http.get('/api/v4/job').set('JOB-TOKEN', 'glcbt-not-a-token').expect(401);
    await api.http.get('/api/v4/job').set('JOB-TOKEN', fixture.runnerToken).expect(401);
    await updateJob(api, job, { state: 'success', log: '' }).expect(200);
    await api.http.get('/api/v4/job').set('JOB-TOKEN', job.token).expect(401);
  });

  it('unregisters a runner by its token with 204, after which its token is refused everywhere', async () => {
    const fixture = await createCiFixture(api, ONE_JOB, { owner });
    await unregister(api, 'runners', { token: 'glrt-not-a-runner' }).expect(403);
    await unregister(api, 'runners', { token: fixture.runnerToken }).expect(204);
    await api.http.post('/api/v4/runners/verify').send({ token: fixture.runnerToken }).expect(403);
    await runPipeline(api, owner, fixture.projectId);
    await requestJob(api, fixture.runnerToken).expect(403);
    await unregister(api, 'runners', { token: fixture.runnerToken }).expect(403);
  });

  it('unregisters a runner manager by token and system_id with 204, leaving the runner registered', async () => {
    const fixture = await createCiFixture(api, ONE_JOB, { owner });
    await unregister(api, 'runners/managers', { token: fixture.runnerToken, system_id: 's_0123456789ab' }).expect(204);
    await api.http.post('/api/v4/runners/verify').send({ token: fixture.runnerToken }).expect(200);
    const missing = await unregister(api, 'runners/managers', { token: fixture.runnerToken }).expect(400);
    expect(refusedFields(missing.body)).toEqual(['system_id']);
    await unregister(api, 'runners/managers', { token: 'glrt-not-a-runner', system_id: 's_0123456789ab' }).expect(403);
  });
});
