import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { JobPayload, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

interface JobJson {
  id: number;
  name: string;
  status: string;
  allow_failure: boolean;
}

/** Stage progression by `when`, `allow_failure` and `needs`, as GitLab's pipeline processing. */
describe('Job progression: when, allow_failure and needs', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  /** A project with `config`, a pipeline on main, and helpers to read it and run its jobs. */
  const pipelineOf = async (config: string) => {
    const fixture = await createCiFixture(api, config);
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    const as = client(api, fixture.maintainer);
    const jobs = async (): Promise<Record<string, JobJson>> => {
      const list: JobJson[] = (await as.get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}/jobs`).expect(200)).body;
      return Object.fromEntries(list.map((job) => [job.name, job]));
    };
    const statuses = async () => Object.fromEntries(Object.values(await jobs()).map((job) => [job.name, job.status]));
    const status = async () => (await as.get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200)).body.status;
    const take = async (name: string): Promise<JobPayload> => {
      const job = await takeJob(api, fixture.runnerToken);
      expect(job.job_info.name).toBe(name);
      return job;
    };
    const run = async (name: string, state: 'success' | 'failed', extra: object = {}) => {
      const job = await take(name);
      await api.http
        .put(`/api/v4/jobs/${job.id}`)
        .send({ token: job.token, state, ...extra })
        .expect(200);
      return job;
    };
    return { fixture, pipeline, jobs, statuses, status, take, run };
  };

  it('starts a job as soon as its needs succeed, without waiting for the rest of the earlier stage', async () => {
    const p = await pipelineOf(`
stages: [build, test, deploy]
build_a: { stage: build, script: a }
build_b: { stage: build, script: b }
test_a: { stage: test, script: t, needs: [build_a] }
lint: { stage: deploy, script: l, needs: [] }
deploy: { stage: deploy, script: d }
`);
    expect(await p.statuses()).toEqual({ build_a: 'pending', build_b: 'pending', test_a: 'created', lint: 'pending', deploy: 'created' });
    const a = await p.take('build_a');
    await finishJob(api, a.id, a.token, 'success').expect(200);
    expect(await p.statuses()).toMatchObject({ build_b: 'pending', test_a: 'pending', deploy: 'created' });
    await p.run('build_b', 'success');
    await p.run('test_a', 'success');
    await p.run('lint', 'success');
    await p.run('deploy', 'success');
    expect(await p.status()).toBe('success');
  });

  it('runs on_failure and always jobs after a failure and skips on_success ones', async () => {
    const p = await pipelineOf(`
stages: [build, after]
build: { stage: build, script: b }
next: { stage: after, script: n }
cleanup: { stage: after, script: c, when: always }
report: { stage: after, script: r, when: on_failure }
`);
    await p.run('build', 'failed', { failure_reason: 'script_failure' });
    expect(await p.statuses()).toEqual({ build: 'failed', next: 'skipped', cleanup: 'pending', report: 'pending' });
    await p.run('cleanup', 'success');
    await p.run('report', 'success');
    expect(await p.status()).toBe('failed');
  });

  it('lets a job with allow_failure fail without stopping the pipeline (success with warnings)', async () => {
    const p = await pipelineOf(`
stages: [test, deploy]
flaky: { stage: test, script: f, allow_failure: true }
deploy: { stage: deploy, script: d }
`);
    await p.run('flaky', 'failed');
    expect((await p.jobs()).flaky).toMatchObject({ status: 'failed', allow_failure: true });
    expect((await p.jobs()).deploy.status).toBe('pending');
    await p.run('deploy', 'success');
    expect(await p.status()).toBe('success');
  });

  it('allows a failure only with one of allow_failure:exit_codes, the exit code the runner sends', async () => {
    const config = `
stages: [test, deploy]
check: { stage: test, script: c, allow_failure: { exit_codes: [3, 137] } }
deploy: { stage: deploy, script: d }
`;
    const allowed = await pipelineOf(config);
    expect((await allowed.jobs()).check.allow_failure).toBe(false);
    await allowed.run('check', 'failed', { failure_reason: 'script_failure', exit_code: 137 });
    expect((await allowed.jobs()).check).toMatchObject({ status: 'failed', allow_failure: true });
    await allowed.run('deploy', 'success');
    expect(await allowed.status()).toBe('success');

    const refused = await pipelineOf(config);
    await refused.run('check', 'failed', { failure_reason: 'script_failure', exit_code: 1 });
    expect(await refused.statuses()).toEqual({ check: 'failed', deploy: 'skipped' });
    expect((await refused.jobs()).check.allow_failure).toBe(false);
    expect(await refused.status()).toBe('failed');
  });

  it('holds the pipeline at a blocking manual job, and passes a manual job that may fail', async () => {
    const blocking = await pipelineOf(`
stages: [approve, deploy]
approve: { stage: approve, script: a, when: manual, allow_failure: false }
deploy: { stage: deploy, script: d }
`);
    expect(await blocking.statuses()).toEqual({ approve: 'manual', deploy: 'created' });
    expect(await blocking.status()).toBe('manual');
    await requestJob(api, blocking.fixture.runnerToken).expect(204);

    const optional = await pipelineOf(`
stages: [approve, deploy]
approve: { stage: approve, script: a, when: manual }
deploy: { stage: deploy, script: d }
`);
    expect(await optional.statuses()).toEqual({ approve: 'manual', deploy: 'pending' });
    expect((await optional.jobs()).approve.allow_failure).toBe(true);
    await optional.run('deploy', 'success');
    expect(await optional.status()).toBe('success');
  });
});
