import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';

const TWO_STAGES = `
stages: [build, deploy]
variables:
  GLOBAL: "g"
build-job:
  stage: build
  script: make
deploy-job:
  stage: deploy
  script: [make deploy]
  environment:
    name: production
`;

describe('Pipelines and the runner job flow', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('runs stages in order from creation to success', async () => {
    const fixture = await createCiFixture(api, TWO_STAGES);
    const as = client(api, fixture.maintainer);
    const created = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    expect(created.body).toMatchObject({ ref: 'main', status: 'pending', source: 'api', tag: false });
    expect(created.body.sha).toMatch(/^[0-9a-f]{40}$/);

    const jobs = await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}/jobs`).expect(200);
    expect(jobs.body.map((j: { name: string; status: string }) => [j.name, j.status])).toEqual([
      ['build-job', 'pending'],
      ['deploy-job', 'created'],
    ]);

    const first = await requestJob(api, fixture.runnerToken).expect(201);
    expect(first.body.job_info).toMatchObject({ name: 'build-job', stage: 'build', project_id: fixture.projectId });
    await requestJob(api, fixture.runnerToken).expect(204);
    await finishJob(api, first.body.id, first.body.token, 'success').expect(200);

    const second = await requestJob(api, fixture.runnerToken).expect(201);
    expect(second.body.job_info.name).toBe('deploy-job');
    const env = new Map(second.body.variables.map((v: { key: string; value: string }) => [v.key, v.value]));
    expect(env.get('CI_ENVIRONMENT_NAME')).toBe('production');
    expect(env.get('CI_ENVIRONMENT_TIER')).toBe('production');
    expect(env.get('GLOBAL')).toBe('g');
    await finishJob(api, second.body.id, second.body.token, 'success').expect(200);

    const done = await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}`).expect(200);
    expect(done.body.status).toBe('success');
  });
});
