import { DataSource } from 'typeorm';
import { CiFixture, createCiFixture, finishJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

const ROUNDS = 8;
const CONFIG = 'deploy:\n  script: d\n  resource_group: production\n';

/**
 * Issue 19 (lock order), resource groups: a job finishing frees its group and queues the job waiting for it in another
 * pipeline, while that pipeline is canceled or deleted, which frees the groups its own jobs held. No 5xx, and the
 * waiting job ends canceled (or gone) whichever went first.
 */
describe('Lock order between a resource group handed on and the waiting pipeline canceled or deleted', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let base: string;

  beforeAll(async () => {
    api = await startTestApp();
  });

  beforeEach(async () => {
    fixture = await createCiFixture(api, CONFIG);
    base = `/projects/${fixture.projectId}`;
  });

  afterAll(() => api.close());

  const db = () => api.app.get(DataSource);

  /** A pipeline whose deploy runs (holding the group), and another whose deploy waits for it. */
  async function holderAndWaiter() {
    await runPipeline(api, fixture.maintainer, fixture.projectId);
    const holder = await takeJob(api, fixture.runnerToken);
    const waiting = await runPipeline(api, fixture.maintainer, fixture.projectId);
    const [row] = await db().query('SELECT id, status FROM ci_builds WHERE pipeline_id = $1', [waiting.id]);
    expect(row.status).toBe('waiting_for_resource');
    return { holder, waiting, waiterId: Number(row.id) };
  }

  it('PUT /jobs of the holder vs cancel of the waiting pipeline', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { holder, waiting, waiterId } = await holderAndWaiter();
      const [finished, canceled] = await Promise.all([
        finishJob(api, holder.id, holder.token, 'success'),
        client(api, fixture.maintainer).post(`${base}/pipelines/${waiting.id}/cancel`),
      ]);
      expect([finished.status, canceled.status]).toEqual([200, 200]);
      const [row] = await db().query('SELECT status FROM ci_builds WHERE id = $1', [waiterId]);
      expect(row.status).toBe('canceled');
      expect(await db().query('SELECT build_id FROM ci_pending_builds WHERE build_id = $1', [waiterId])).toEqual([]);
    }
  });

  it('PUT /jobs of the holder vs delete of the waiting pipeline', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { holder, waiting, waiterId } = await holderAndWaiter();
      const [finished, removed] = await Promise.all([
        finishJob(api, holder.id, holder.token, 'success'),
        client(api, fixture.maintainer).delete(`${base}/pipelines/${waiting.id}`),
      ]);
      expect([finished.status, removed.status]).toEqual([200, 204]);
      expect(await db().query('SELECT id FROM ci_builds WHERE id = $1', [waiterId])).toEqual([]);
    }
  });
});
