import { DataSource, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { IdTokenService } from '../src/id-tokens/id-token.service';
import { PipelineProgressService } from '../src/pipelines/pipeline-progress.service';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
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

  // Found by `npm run drill -- outage`: PostgreSQL ending a session (57P01) between two statements of a transaction
  // makes TypeORM mark that session's query runner released, and the transaction's next statement throws
  // QueryRunnerAlreadyReleasedError instead of a driver error; it was answered 500 and the runner gave up the job.
  it('answers 503, and keeps the job running, when the connection was ended between two statements of a job update', async () => {
    const fixture = await createCiFixture(api, 'job:\n  script: echo\n');
    await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    const job = (await requestJob(api, fixture.runnerToken).expect(201)).body;
    jest.spyOn(api.app.get(PipelineProgressService), 'jobFinished').mockRejectedValueOnce(new QueryRunnerAlreadyReleasedError());
    const response = await finishJob(api, job.id, job.token, 'success').expect(503);
    expect(response.headers['retry-after']).toBe('5');

    const [listed] = (await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/jobs`).expect(200)).body;
    expect(listed).toMatchObject({ id: job.id, status: 'running' });
    await finishJob(api, job.id, job.token, 'success').expect(200);
  });

  it('answers 503, and leaves the job pending, when the connection was ended between two statements of a pickup', async () => {
    const fixture = await createCiFixture(api, 'job:\n  script: echo\n');
    await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    jest.spyOn(api.app.get(IdTokenService), 'sign').mockRejectedValueOnce(new QueryRunnerAlreadyReleasedError());
    await requestJob(api, fixture.runnerToken).expect(503);
    await requestJob(api, fixture.runnerToken).expect(201);
  });
});
