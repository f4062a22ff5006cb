import { DataSource } from 'typeorm';
import { IdTokenService } from '../src/id-tokens/id-token.service';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('Database trouble during job pickup', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  afterEach(() => jest.restoreAllMocks());

  it('answers 503 with Retry-After when the database cannot be reached', async () => {
    const fixture = await createCiFixture(api, 'job:\n  script: echo\n');
    // The runner's session is cached from here on: the next request's first connection is the pickup's.
    await requestJob(api, fixture.runnerToken).expect(204);
    await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    const unreachable = { connect: () => Promise.reject(connectionRefused()), release: () => Promise.resolve() };
    jest.spyOn(api.app.get(DataSource), 'createQueryRunner').mockReturnValueOnce(unreachable as never);
    const response = await requestJob(api, fixture.runnerToken).expect(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toEqual({ message: '503 Service Unavailable' });
  });

  it('leaves the job pending, with no runner, when the connection drops after the job was claimed', async () => {
    const fixture = await createCiFixture(api, 'job:\n  script: echo\n');
    const pipeline = await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    jest.spyOn(api.app.get(IdTokenService), 'sign').mockRejectedValueOnce(connectionRefused());
    await requestJob(api, fixture.runnerToken).expect(503);

    const [job] = (
      await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/pipelines/${pipeline.body.id}/jobs`).expect(200)
    ).body;
    expect(job).toMatchObject({ status: 'pending', runner: null, started_at: null });

    const retried = await requestJob(api, fixture.runnerToken).expect(201);
    expect(retried.body.id).toBe(job.id);
  });
});
