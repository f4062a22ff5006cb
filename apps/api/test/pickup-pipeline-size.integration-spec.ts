import { DataSource } from 'typeorm';
import { claimStatement } from '../src/pickup/snapshot.statement';
import { Runner } from '../src/runners/runner.entity';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { runPipeline } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

interface AnalyzedNode {
  readonly 'Relation Name'?: string;
  readonly 'Actual Rows': number;
  readonly 'Actual Loops': number;
  readonly 'Rows Removed by Filter'?: number;
  readonly 'Rows Removed by Index Recheck'?: number;
  readonly Plans?: readonly AnalyzedNode[];
}

const nodesOf = (node: AnalyzedNode): AnalyzedNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** Rows of `ci_builds` the statement touched: returned by a scan, or read and then filtered out. */
const buildRowsRead = (plan: AnalyzedNode) =>
  nodesOf(plan)
    .filter((node) => node['Relation Name'] === 'ci_builds')
    .reduce(
      (sum, node) =>
        sum +
        (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'],
      0,
    );

/** `jobs` jobs named `job_<n>`, in the default stage. */
const oneStage = (jobs: number) => Array.from({ length: jobs }, (_, index) => `job_${index}:\n  script: echo ${index}\n`).join('');

/**
 * Issue 15: the pickup's cost must not grow with the size of the job's pipeline. A job's dependency candidates were read
 * by walking every job of its pipeline (3,000 in the bench): PostgreSQL's CPU per pickup went from 2.3 to 11 ms.
 */
describe('the pickup reads a job, not its pipeline', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const db = () => api.app.get(DataSource);

  /** The claim for the project runner of `projectId`, analyzed and rolled back: the job stays queued. */
  async function analyzeClaim(projectId: number): Promise<AnalyzedNode> {
    const runner = await db().getRepository(Runner).findOneByOrFail({ projectId });
    const session = db().createQueryRunner();
    await session.connect();
    await session.startTransaction();
    try {
      const values = [projectId, runner.id, runner.tokenDigest, new Date().toISOString().slice(0, 10), null];
      const [{ 'QUERY PLAN': plan }] = await session.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${claimStatement('project_type')}`, values);
      return plan[0].Plan;
    } finally {
      await session.rollbackTransaction();
      await session.release();
    }
  }

  it.each([
    ['one stage of 400 jobs', `${oneStage(400)}`, 'job_0'],
    [
      'a second stage whose job needs one of 400',
      `stages: [build, test]\n${oneStage(400).replace(/script:/g, 'stage: build\n  script:')}packaged:\n  stage: test\n  needs: [job_7]\n  script: echo\n`,
      'packaged',
    ],
    [
      'a second stage whose job names its dependencies among 400',
      `stages: [build, test]\n${oneStage(400).replace(/script:/g, 'stage: build\n  script:')}packaged:\n  stage: test\n  dependencies: [job_3, job_9]\n  script: echo\n`,
      'packaged',
    ],
  ])('%s: claiming a job reads a handful of ci_builds rows, whatever the pipeline holds', async (_shape, yaml, claimedJob) => {
    const fixture = await createCiFixture(api, yaml);
    await runPipeline(api, fixture.maintainer, fixture.projectId);
    if (claimedJob === 'packaged') {
      // Only the second stage's job is left queued: the first stage's jobs are done.
      await db().query(
        `WITH done AS (UPDATE ci_builds SET status = 'success' WHERE project_id = $1 AND name <> 'packaged' RETURNING id)
         DELETE FROM ci_pending_builds WHERE build_id IN (SELECT id FROM done)`,
        [fixture.projectId],
      );
      await db().query(
        `WITH queued AS (UPDATE ci_builds SET status = 'pending' WHERE project_id = $1 AND name = 'packaged' RETURNING id, project_id)
         INSERT INTO ci_pending_builds (build_id, project_id, namespace_traversal_ids, protected)
         SELECT queued.id, queued.project_id, n.traversal_ids, false FROM queued JOIN projects p ON p.id = queued.project_id JOIN namespaces n ON n.id = p.namespace_id
         ON CONFLICT DO NOTHING`,
        [fixture.projectId],
      );
    }

    const plan = await analyzeClaim(fixture.projectId);

    // The job itself, and for the second stage the one or two jobs it names; never the 400.
    expect(buildRowsRead(plan)).toBeLessThanOrEqual(4);
    // And the claim it analyzed is the one a runner gets.
    const job = await requestJob(api, fixture.runnerToken).expect(201);
    expect(job.body.job_info.name).toBe(claimedJob);
  });
});
