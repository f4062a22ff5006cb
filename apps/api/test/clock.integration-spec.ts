import { decodeJwt } from 'jose';
import { createCiFixture, finishJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const WITH_TOKEN = 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: https://verifier.example\n';
const DAY = 86_400;

describe('The injected clock', () => {
  const clock = new TestClock();
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
  });

  afterAll(() => api.close());

  let start: Date;
  const at = (offsetSeconds: number) => new Date(start.getTime() + offsetSeconds * 1000).toISOString();

  it('times a job and its pipeline by the clock: queued, picked up and finished when it says, tokens living from the pickup', async () => {
    const fixture = await createCiFixture(api, WITH_TOKEN);
    start = clock.now();
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
    clock.advance(30);
    const job = await takeJob(api, fixture.runnerToken);
    const token = decodeJwt(variableMap(job).get('TOKEN')!.value);
    clock.advance(90);
    await finishJob(api, job.id, job.token, 'success').expect(200);

    const maintainer = client(api, fixture.maintainer);
    expect(token).toMatchObject({ iat: Date.parse(at(30)) / 1000, exp: Date.parse(at(30)) / 1000 + 3600 });
    expect((await maintainer.get(`/projects/${fixture.projectId}/jobs/${job.id}`).expect(200)).body).toMatchObject({
      status: 'success',
      started_at: at(30),
      finished_at: at(120),
      duration: 90,
      queued_duration: 30,
    });
    expect((await maintainer.get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200)).body).toMatchObject({
      status: 'success',
      started_at: at(30),
      finished_at: at(120),
      duration: 90,
    });
  });

  it('expires a personal access token on the day the clock reaches its expires_at, not before', async () => {
    const user = await createUser(api);
    const tomorrow = new Date(clock.now().getTime() + DAY * 1000).toISOString().slice(0, 10);
    const created = await api.http
      .post(`/api/v4/users/${user.id}/personal_access_tokens`)
      .set('PRIVATE-TOKEN', api.rootToken)
      .send({ name: 'short-lived', scopes: ['read_api'], expires_at: tomorrow })
      .expect(201);
    await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', created.body.token).expect(200);

    clock.advance(DAY);

    await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', created.body.token).expect(401);
    const refused = await api.http
      .post(`/api/v4/users/${user.id}/personal_access_tokens`)
      .set('PRIVATE-TOKEN', api.rootToken)
      .send({ name: 'already-expired', scopes: ['read_api'], expires_at: tomorrow })
      .expect(400);
    expect(JSON.stringify(refused.body)).toMatch(/expires_at/);
  });
});
