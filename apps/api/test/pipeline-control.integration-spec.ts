import { CiFixture, createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, runPipeline, takeJob } from './support/runner-fixtures';
import { patchTrace } from './support/runner-protocol';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const CONFIG = `
build:
  stage: build
  script: make
lint:
  stage: build
  script: lint
review:
  stage: build
  script: ./review
  when: manual
deploy:
  stage: deploy
  script: ./deploy
`;

interface Job {
  id: number;
  name: string;
  status: string;
}

/** Issue 18, item 6 (cancel, retry): `POST /projects/:id/pipelines/:pipeline_id/cancel` and `/retry`, as GitLab's. */
describe('Pipeline cancel and retry', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let reporter: TestUser;
  let base: string;
  const statuses = async (pipelineId: number, query = '') =>
    Object.fromEntries(
      ((await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}/jobs${query}`).expect(200)).body as Job[]).map((job) => [
        job.name,
        job.status,
      ]),
    );
  const jobsOf = async (pipelineId: number, query = '') =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}/jobs${query}`).expect(200)).body as Job[];
  const pipelineStatus = async (pipelineId: number) =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}`).expect(200)).body.status as string;

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

  it('cancel: 200; running, pending and waiting jobs are canceled, a manual one stays; the runner is told to stop', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    const running = await takeJob(api, fixture.runnerToken);

    const canceled = await client(api, fixture.maintainer).post(`${base}/pipelines/${pipeline.id}/cancel`).expect(200);
    expect(canceled.body).toMatchObject({ id: pipeline.id, status: 'canceled' });
    expect(await statuses(pipeline.id)).toEqual({ build: 'canceled', lint: 'canceled', review: 'manual', deploy: 'canceled' });
    const append = await patchTrace(api, running, 0, 'output\n').expect(403);
    expect(append.headers['job-status']).toBe('canceled');

    await client(api, fixture.maintainer).post(`${base}/pipelines/${pipeline.id}/cancel`).expect(200);
    await client(api, fixture.maintainer).post(`${base}/pipelines/999999999/cancel`).expect(404);
  });

  it('cancel and retry: refused to a reporter and to a developer on protected main (403), allowed on an unprotected branch', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    for (const who of [reporter, developer]) {
      for (const action of ['cancel', 'retry']) {
        const refused = await client(api, who).post(`${base}/pipelines/${pipeline.id}/${action}`).expect(403);
        expect(refused.body).toEqual({ message: '403 Forbidden' });
      }
    }
    expect(await pipelineStatus(pipeline.id)).toBe('pending');

    const feature = await runPipeline(api, fixture.maintainer, fixture.projectId, 'feature');
    await client(api, developer).post(`${base}/pipelines/${feature.id}/cancel`).expect(200);
    await client(api, developer).post(`${base}/pipelines/${feature.id}/retry`).expect(201);
    expect(await pipelineStatus(feature.id)).toBe('pending');
  });

  it('retry: 201; each failed or canceled job gets a copy, skipped jobs wait again, a successful job stays', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    const first = await takeJob(api, fixture.runnerToken);
    const second = await takeJob(api, fixture.runnerToken);
    const [build, lint] = first.job_info.name === 'build' ? [first, second] : [second, first];
    await finishJob(api, build.id, build.token, 'failed').expect(200);
    await finishJob(api, lint.id, lint.token, 'success').expect(200);
    expect(await statuses(pipeline.id)).toEqual({ build: 'failed', lint: 'success', review: 'manual', deploy: 'skipped' });
    expect(await pipelineStatus(pipeline.id)).toBe('failed');

    const retried = await client(api, fixture.maintainer).post(`${base}/pipelines/${pipeline.id}/retry`).expect(201);
    expect(retried.body).toMatchObject({ id: pipeline.id, status: 'running' });
    expect(await statuses(pipeline.id)).toEqual({ build: 'pending', lint: 'success', review: 'manual', deploy: 'created' });
    const all = await jobsOf(pipeline.id, '?include_retried=true');
    expect(all.filter((job) => job.name === 'build').map((job) => [job.id === build.id, job.status])).toEqual([
      [true, 'failed'],
      [false, 'pending'],
    ]);
    expect(all.filter((job) => job.name === 'lint')).toHaveLength(1);

    const again = await takeJob(api, fixture.runnerToken);
    expect(again.job_info.name).toBe('build');
    await finishJob(api, again.id, again.token, 'success').expect(200);
    expect((await statuses(pipeline.id)).deploy).toBe('pending');
  });

  it("cancel frees the canceled job's resource group for the job waiting for it in another pipeline", async () => {
    const deploys = await createCiFixture(api, 'deploy:\n  script: d\n  resource_group: production\n');
    const [first, second] = [
      await runPipeline(api, deploys.maintainer, deploys.projectId),
      await runPipeline(api, deploys.maintainer, deploys.projectId),
    ];
    const holder = await takeJob(api, deploys.runnerToken);
    const jobs = async (pipelineId: number) =>
      (await client(api, deploys.maintainer).get(`/projects/${deploys.projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body as Job[];
    const [waiting] = await jobs(second.id);
    expect(waiting.status).toBe('waiting_for_resource');

    await client(api, deploys.maintainer).post(`/projects/${deploys.projectId}/pipelines/${first.id}/cancel`).expect(200);
    expect(await buildRow(api, holder.id)).toMatchObject({ status: 'canceled' });
    expect((await jobs(second.id))[0].status).toBe('pending');
    expect((await takeJob(api, deploys.runnerToken)).id).toBe(waiting.id);
  });

  it('cancel racing a runner taking the job: the job always ends canceled, never left running, never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const [canceled, taken] = await Promise.all([
        client(api, fixture.maintainer).post(`${base}/pipelines/${pipeline.id}/cancel`),
        requestJob(api, fixture.runnerToken),
      ]);
      expect(canceled.status).toBe(200);
      expect([201, 204]).toContain(taken.status);
      expect(Object.values(await statuses(pipeline.id)).filter((status) => status !== 'manual')).toEqual([
        'canceled',
        'canceled',
        'canceled',
      ]);
      expect(await pipelineStatus(pipeline.id)).toBe('canceled');
    }
  });

  it('retry of a canceled pipeline: the canceled jobs run again', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    await client(api, fixture.maintainer).post(`${base}/pipelines/${pipeline.id}/cancel`).expect(200);
    await client(api, fixture.maintainer).post(`${base}/pipelines/${pipeline.id}/retry`).expect(201);
    expect(await statuses(pipeline.id)).toEqual({ build: 'pending', lint: 'pending', review: 'manual', deploy: 'created' });
    expect(await pipelineStatus(pipeline.id)).toBe('pending');
  });
});
