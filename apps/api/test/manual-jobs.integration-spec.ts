import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { CiFixture, createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const CONFIG = `
stages: [build, deploy, verify]
build:
  stage: build
  script: make
deploy:
  stage: deploy
  script: ./deploy
  when: manual
  allow_failure: false
  id_tokens:
    AWS_TOKEN:
      aud: https://sts.amazonaws.com
verify:
  stage: verify
  script: ./verify
`;

/** `POST /projects/:id/jobs/:job_id/play`, as GitLab's `Ci::PlayBuildService` and `play_job`. */
describe('Manual jobs: who may play them, and who the played job runs as', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let releaser: TestUser;
  let reporter: TestUser;
  let base: string;
  const db = () => api.app.get(DataSource);
  const jobsOf = async (pipelineId: number) =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}/jobs`).expect(200)).body as {
      id: number;
      name: string;
      status: string;
      user: { username: string } | null;
    }[];
  const job = async (pipelineId: number, name: string) => (await jobsOf(pipelineId)).find((j) => j.name === name)!;
  const pipelineStatus = async (pipelineId: number) =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}`).expect(200)).body.status;
  const issuances = async (buildId: number) =>
    (await db().query('SELECT count(*)::int AS n FROM ci_id_token_issuances WHERE build_id = $1', [buildId]))[0].n;
  /** Runs the build stage, leaving the pipeline at its manual deploy. */
  const atManualDeploy = async (ref: string) => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, ref);
    const build = await takeJob(api, fixture.runnerToken);
    await finishJob(api, build.id, build.token, 'success').expect(200);
    return { pipeline, deploy: await job(pipeline.id, 'deploy') };
  };

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, CONFIG);
    base = `/projects/${fixture.projectId}`;
    [developer, releaser, reporter] = await Promise.all([createUser(api, 'dev'), createUser(api, 'rel'), createUser(api, 'rep')]);
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, releaser, 40);
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, reporter, 20);
    await client(api, fixture.maintainer).post(`${base}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
  });

  afterAll(() => api.close());

  it('refuses a developer who may not push to or merge into protected main: 403, the job stays manual, no token', async () => {
    const { pipeline, deploy } = await atManualDeploy('main');
    expect(deploy.status).toBe('manual');

    const refused = await client(api, developer).post(`${base}/jobs/${deploy.id}/play`).expect(403);
    expect(refused.body).toEqual({ message: '403 Forbidden' });

    expect(await buildRow(api, deploy.id)).toMatchObject({ status: 'manual', runner_id: null, token_digest: null });
    await requestJob(api, fixture.runnerToken).expect(204);
    expect(await issuances(deploy.id)).toBe(0);
    expect((await job(pipeline.id, 'deploy')).user?.username).toBe(fixture.maintainer.username);
    expect(await pipelineStatus(pipeline.id)).toBe('manual');
  });

  it('lets a maintainer play it: the job runs as the player, whose login its ID token names', async () => {
    const { pipeline, deploy } = await atManualDeploy('main');
    const played = await client(api, releaser).post(`${base}/jobs/${deploy.id}/play`).expect(200);
    expect(played.body).toMatchObject({ id: deploy.id, name: 'deploy', status: 'pending', user: { username: releaser.username } });
    expect(await pipelineStatus(pipeline.id)).toBe('running');

    const taken = await takeJob(api, fixture.runnerToken);
    expect(taken.id).toBe(deploy.id);
    const claims = decodeJwt(variableMap(taken).get('AWS_TOKEN')!.value);
    expect(claims).toMatchObject({ user_login: releaser.username, user_id: String(releaser.id) });
    expect(variableMap(taken).get('GITLAB_USER_LOGIN')?.value).toBe(releaser.username);

    // A job played once is no longer playable.
    expect((await client(api, releaser).post(`${base}/jobs/${deploy.id}/play`).expect(400)).body).toEqual({
      message: '400 Bad request - Unplayable Job',
    });
    await finishJob(api, taken.id, taken.token, 'success').expect(200);
    const verify = await takeJob(api, fixture.runnerToken);
    expect(verify.job_info).toMatchObject({ name: 'verify', pipeline_id: pipeline.id });
    await finishJob(api, verify.id, verify.token, 'success').expect(200);
    expect(await pipelineStatus(pipeline.id)).toBe('success');
  });

  it('lets a developer play on an unprotected branch, and never a reporter', async () => {
    const { deploy } = await atManualDeploy('feature');
    await client(api, reporter).post(`${base}/jobs/${deploy.id}/play`).expect(403);
    expect((await buildRow(api, deploy.id)).status).toBe('manual');
    await client(api, developer).post(`${base}/jobs/${deploy.id}/play`).expect(200);
    const taken = await takeJob(api, fixture.runnerToken);
    expect(decodeJwt(variableMap(taken).get('AWS_TOKEN')!.value).user_login).toBe(developer.username);
    await finishJob(api, taken.id, taken.token, 'success').expect(200);
    const verify = await takeJob(api, fixture.runnerToken);
    await finishJob(api, verify.id, verify.token, 'success').expect(200);
  });

  it('answers 404 for a job of another project, and refuses a job that is not manual', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, 'feature');
    const build = await job(pipeline.id, 'build');
    await client(api, fixture.maintainer).post(`${base}/jobs/${build.id}/play`).expect(400);
    const other = await resources(api).project(developer);
    await client(api, developer).post(`/projects/${other.id}/jobs/${build.id}/play`).expect(404);
    const taken = await takeJob(api, fixture.runnerToken);
    await finishJob(api, taken.id, taken.token, 'failed').expect(200);
    expect(await pipelineStatus(pipeline.id)).toBe('failed');
  });

  it('retries a finished manual job played again, as a new job run by the player; what its failure skipped waits again', async () => {
    const { pipeline, deploy } = await atManualDeploy('feature');
    await client(api, developer).post(`${base}/jobs/${deploy.id}/play`).expect(200);
    const failed = await takeJob(api, fixture.runnerToken);
    await finishJob(api, failed.id, failed.token, 'failed', 'script_failure').expect(200);
    expect(await pipelineStatus(pipeline.id)).toBe('failed');
    expect((await job(pipeline.id, 'verify')).status).toBe('skipped');

    const again = await client(api, releaser).post(`${base}/jobs/${deploy.id}/play`).expect(200);
    expect(again.body).toMatchObject({ name: 'deploy', status: 'pending', user: { username: releaser.username } });
    expect(again.body.id).toBeGreaterThan(deploy.id);
    expect((await job(pipeline.id, 'verify')).status).toBe('created');
    const retried = await takeJob(api, fixture.runnerToken);
    expect(retried.id).toBe(again.body.id);
    expect(decodeJwt(variableMap(retried).get('AWS_TOKEN')!.value).user_login).toBe(releaser.username);
    await finishJob(api, retried.id, retried.token, 'success').expect(200);
    const verify = await takeJob(api, fixture.runnerToken);
    await finishJob(api, verify.id, verify.token, 'success').expect(200);
    expect(await pipelineStatus(pipeline.id)).toBe('success');
  });

  it('takes job_variables_attributes into the job, from those who may set pipeline variables', async () => {
    await client(api, fixture.maintainer).put(base, { ci_pipeline_variables_minimum_override_role: 'maintainer' }).expect(200);
    const { deploy } = await atManualDeploy('feature');
    const variables = { job_variables_attributes: [{ key: 'RELEASE', value: 'v1.2.3' }] };
    await client(api, developer).post(`${base}/jobs/${deploy.id}/play`, variables).expect(403);
    expect((await buildRow(api, deploy.id)).status).toBe('manual');
    await client(api, releaser).post(`${base}/jobs/${deploy.id}/play`, variables).expect(200);
    const taken = await takeJob(api, fixture.runnerToken);
    expect(variableMap(taken).get('RELEASE')?.value).toBe('v1.2.3');
    await finishJob(api, taken.id, taken.token, 'success').expect(200);
    const verify = await takeJob(api, fixture.runnerToken);
    expect(variableMap(verify).has('RELEASE')).toBe(false);
    await finishJob(api, verify.id, verify.token, 'success').expect(200);
  });
});

describe('Manual jobs deploying to a protected environment', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let base: string;

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, 'deploy:\n  script: ./deploy\n  when: manual\n  environment: production\n');
    base = `/projects/${fixture.projectId}`;
    developer = await createUser(api, 'dev');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    const as = client(api, fixture.maintainer);
    await as.post(`${base}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await as.post(`${base}/protected_environments`, { name: 'production', deploy_access_levels: [{ access_level: 40 }] }).expect(201);
  });

  afterAll(() => api.close());

  it('refuses a developer who may push to the branch but not deploy to the environment', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, 'feature');
    const [deploy] = (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipeline.id}/jobs`).expect(200)).body;
    expect(deploy.status).toBe('manual');
    // A manual job may fail by default: the pipeline does not wait for it.
    expect((await client(api, fixture.maintainer).get(`${base}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('skipped');
    await client(api, developer).post(`${base}/jobs/${deploy.id}/play`).expect(403);
    expect(await buildRow(api, deploy.id)).toMatchObject({ status: 'manual', token_digest: null });
    await client(api, fixture.maintainer).post(`${base}/jobs/${deploy.id}/play`).expect(200);
    expect((await takeJob(api, fixture.runnerToken)).id).toBe(deploy.id);
  });
});
