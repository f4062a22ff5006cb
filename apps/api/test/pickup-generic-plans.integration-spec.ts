import { DataSource } from 'typeorm';
import { createCiFixture } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

const JOBS = 8;
const EIGHT_JOBS = Array.from({ length: JOBS }, (_, index) => `job-${index}:\n  script: echo ${index}\n`).join('');

/**
 * The claim is planned once per connection, never at each pickup (`pickup/pickup-session.ts`). Left to choose,
 * PostgreSQL plans the first five executions of a prepared statement for their parameters and then keeps doing so
 * whenever the generic plan's estimate looks worse, as it did for the claim once the queue's statistics were fresh:
 * the bench found 7,503 of 9,264 claims re-planned, about 5 ms of PostgreSQL each. One pooled connection here, so
 * that the test's own statements read the session the pickups ran on.
 */
describe('the pickup claim runs its generic plan', () => {
  let api: TestApp;
  const poolSize = process.env.LANYARD_TEST_POOL_SIZE;

  beforeAll(async () => {
    process.env.LANYARD_TEST_POOL_SIZE = '1';
    api = await startTestApp();
  });

  afterAll(async () => {
    process.env.LANYARD_TEST_POOL_SIZE = poolSize;
    await api.close();
  });

  it('from the first pickup on a connection, also after the queue was analyzed, and only inside the pickup', async () => {
    const db = api.app.get(DataSource);
    const fixture = await createCiFixture(api, EIGHT_JOBS);
    await runPipeline(api, fixture.maintainer, fixture.projectId);
    await db.query('ANALYZE ci_pending_builds, ci_builds');
    for (let pickup = 0; pickup < JOBS; pickup++) await takeJob(api, fixture.runnerToken);

    const plans: { generic_plans: string; custom_plans: string }[] = await db.query(
      `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%DELETE FROM ci_pending_builds%'`,
    );
    expect(plans.map((row) => ({ generic: Number(row.generic_plans), custom: Number(row.custom_plans) }))).toEqual([
      { generic: JOBS, custom: 0 },
    ]);
    // The setting ends with each pickup's transaction: the connection's other statements are planned as usual.
    expect(await db.query('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'auto' }]);
    const projects = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}`);
    expect(projects.status).toBe(200);
  });
});
