import { MIGRATIONS } from '@lanyard/migrations';
import { DataSource } from 'typeorm';
import { claimStatement } from '../src/pickup/snapshot.statement';
import { Runner } from '../src/runners/runner.entity';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { createRunner, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const TWO_STAGES = `
stages: [build, test]
compile:
  stage: build
  script: echo
package:
  stage: build
  script: echo
unit:
  stage: test
  script: echo
`;

const ONE_JOB = `
stages: [test]
only-job:
  stage: test
  script: echo
`;

const TWO_JOBS = `
stages: [test]
first:
  stage: test
  script: echo
second:
  stage: test
  script: echo
`;

const FINISHED_JOBS = 100_000;
const FOREIGN_PENDING_JOBS = 20_000;
// Jest reads testTimeout only from the root config, not from the integration project's.
const SLOW_TEST_MS = 240_000;

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** The pickup's claim statement's parameters for `runner` (no signing key asked for). */
const claimValues = (runner: Runner) => [
  runner.runnerType === 'group_type' ? runner.namespaceId : runner.runnerType === 'project_type' ? runner.projectId : null,
  runner.id,
  runner.tokenDigest,
  new Date().toISOString().slice(0, 10),
  null,
];
/** Tables that grow with a project's history: the claim must never scan them whole. */
const HISTORY_TABLES = ['ci_builds', 'ci_builds_metadata', 'ci_pipelines', 'ci_pending_builds'];

/** GitLab's `ci_pending_builds` (`Ci::UpdateBuildQueueService`): a row exactly while a job is pending, polled per runner scope. */
describe('ci_pending_builds, the queue runners poll', () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'queue');
  });

  afterAll(() => api.close());

  const db = () => api.app.get(DataSource);

  /** Jobs whose status and queue row disagree: pending without a row, or a row for a job no longer pending. */
  const queueMismatches = () =>
    db().query(
      `SELECT b.id, b.status FROM ci_builds b FULL JOIN ci_pending_builds q ON q.build_id = b.id
        WHERE (b.status = 'pending') IS DISTINCT FROM (q.build_id IS NOT NULL)`,
    );

  const queuedOf = (pipelineId: number) =>
    db().query(
      `SELECT b.name, q.project_id, q.namespace_traversal_ids, q.protected = b.protected AS protected_copied
         FROM ci_pending_builds q JOIN ci_builds b ON b.id = q.build_id
        WHERE b.pipeline_id = $1 ORDER BY b.id`,
      [pipelineId],
    );

  it('queues a stage with one row per job (project, traversal ids, protected) and takes each off as a runner takes it', async () => {
    const group = await resources(api).group(owner);
    const fixture = await createCiFixture(api, TWO_STAGES, { owner, groupId: group.id });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    const queued = (name: string) => ({ name, project_id: fixture.projectId, namespace_traversal_ids: [group.id], protected_copied: true });
    expect(await queuedOf(pipeline.id)).toEqual([queued('compile'), queued('package')]);

    const first = await takeJob(api, fixture.runnerToken);
    expect(await queuedOf(pipeline.id)).toEqual([queued('package')]);
    const second = await takeJob(api, fixture.runnerToken);
    expect(await queuedOf(pipeline.id)).toEqual([]);
    await finishJob(api, first.id, first.token, 'success').expect(200);
    await finishJob(api, second.id, second.token, 'success').expect(200);

    expect(await queuedOf(pipeline.id)).toEqual([queued('unit')]);
    expect(await queueMismatches()).toEqual([]);
  });

  it('takes a job failed at pickup off the queue with its status', async () => {
    const secrets = `
stages: [test]
secret-job:
  stage: test
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault
  secrets:
    DB:
      vault: prod/db/password@kv
      token: $VAULT_ID_TOKEN
  script: echo
`;
    const fixture = await createCiFixture(api, secrets, { owner });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    await requestJob(api, fixture.runnerToken).expect(204);
    const [job] = await db().query('SELECT status, failure_reason FROM ci_builds WHERE pipeline_id = $1', [pipeline.id]);
    expect(job).toEqual({ status: 'failed', failure_reason: 'secrets_provider_not_found' });
    expect(await queuedOf(pipeline.id)).toEqual([]);
    expect(await queueMismatches()).toEqual([]);
  });

  it('takes the queued jobs of a deleted project off the queue', async () => {
    const fixture = await createCiFixture(api, TWO_STAGES, { owner });
    await runPipeline(api, owner, fixture.projectId);
    await client(api, owner).delete(`/projects/${fixture.projectId}`).expect(202);
    expect(await db().query('SELECT build_id FROM ci_pending_builds WHERE project_id = $1', [fixture.projectId])).toEqual([]);
    expect(await queueMismatches()).toEqual([]);
  });

  it('moves the queued jobs of a transferred project to its new group: that group’s runner takes them, the old one’s no longer', async () => {
    const [from, to] = [await resources(api).group(owner), await resources(api).group(owner)];
    const fixture = await createCiFixture(api, ONE_JOB, { owner, groupId: from.id });
    const [fromRunner, toRunner] = [
      await createRunner(api, owner, { runner_type: 'group_type', group_id: from.id }),
      await createRunner(api, owner, { runner_type: 'group_type', group_id: to.id }),
    ];
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    await client(api, owner).put(`/projects/${fixture.projectId}/transfer`, { namespace: to.id }).expect(200);

    expect(await queuedOf(pipeline.id)).toEqual([
      { name: 'only-job', project_id: fixture.projectId, namespace_traversal_ids: [to.id], protected_copied: true },
    ]);
    await requestJob(api, fromRunner.token).expect(204);
    expect((await takeJob(api, toRunner.token)).job_info.name).toBe('only-job');
  });

  it('moves the queued jobs below a transferred group: the new parent’s runner takes them', async () => {
    const [parent, moved] = [await resources(api).group(owner), await resources(api).group(owner)];
    const subgroup = await resources(api).group(owner, { parent_id: moved.id });
    const fixture = await createCiFixture(api, ONE_JOB, { owner, groupId: subgroup.id });
    const parentRunner = await createRunner(api, owner, { runner_type: 'group_type', group_id: parent.id });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    await requestJob(api, parentRunner.token).expect(204);
    await client(api, owner).post(`/groups/${moved.id}/transfer`, { group_id: parent.id }).expect(201);

    const [{ namespace_traversal_ids }] = await queuedOf(pipeline.id);
    expect(namespace_traversal_ids).toEqual([parent.id, moved.id, subgroup.id]);
    expect((await takeJob(api, parentRunner.token)).job_info.name).toBe('only-job');
  });

  it('is filled by its migration with the jobs already pending', async () => {
    const fixture = await createCiFixture(api, TWO_STAGES, { owner });
    const pipeline = await runPipeline(api, owner, fixture.projectId);
    const migration = new (MIGRATIONS.find((Migration) => Migration.name === 'PendingBuildsQueue1764900000000')!)();
    const namespaceId = (await client(api, owner).get(`/projects/${fixture.projectId}`).expect(200)).body.namespace.id;
    // Its own connection, inside a transaction that is rolled back: the queue the other tests use stays as it was.
    const runner = db().createQueryRunner();
    await runner.startTransaction();
    try {
      await migration.down(runner);
      await migration.up(runner);
      const rows = await runner.query(
        `SELECT b.name, q.namespace_traversal_ids FROM ci_pending_builds q JOIN ci_builds b ON b.id = q.build_id WHERE b.pipeline_id = $1 ORDER BY b.id`,
        [pipeline.id],
      );
      expect(rows).toEqual([
        { name: 'compile', namespace_traversal_ids: [namespaceId] },
        { name: 'package', namespace_traversal_ids: [namespaceId] },
      ]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  // EXPLAIN's plan choices and 120,000 rows are about PostgreSQL itself; the embedded database runs the other tests.
  const onPostgres = process.env.LANYARD_TEST_EMBEDDED ? it.skip : it;

  /** The claim's plan once prepared, as generic as PostgreSQL may make it (no parameter values to plan with). */
  async function explainGeneric(runner: Runner) {
    const session = db().createQueryRunner();
    await session.connect();
    try {
      await session.query(`PREPARE claim_probe AS ${claimStatement(runner.runnerType)}`);
      await session.query('SET plan_cache_mode = force_generic_plan');
      const literals = claimValues(runner).map((value) =>
        value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`,
      );
      return await session.query(`EXPLAIN (FORMAT JSON) EXECUTE claim_probe(${literals.join(', ')})`);
    } finally {
      await session.query('DEALLOCATE claim_probe');
      await session.query('RESET plan_cache_mode');
      await session.release();
    }
  }

  onPostgres(
    `on PostgreSQL (skipped on the embedded database): with ${FINISHED_JOBS} finished and ${FOREIGN_PENDING_JOBS} foreign pending jobs, each runner scope's claim reads its own index, idle polls answer 204, and the job in scope is found`,
    async () => {
      const group = await resources(api).group(owner);
      const fixture = await createCiFixture(api, TWO_JOBS, { owner, groupId: group.id });
      const foreignGroups = [await resources(api).group(owner), await resources(api).group(owner)];
      const foreignProjects = [
        await resources(api).project(owner, { namespace_id: foreignGroups[0].id }),
        await resources(api).project(owner, { namespace_id: foreignGroups[1].id }),
        await resources(api).project(owner),
      ].map((project) => project.id);
      const groupRunner = await createRunner(api, owner, { runner_type: 'group_type', group_id: group.id });
      const instanceRunner = await createRunner(api, api.rootToken, { runner_type: 'instance_type' });

      const pipelineIds: number[] = [];
      try {
        // History: finished jobs in every project, the one in scope included.
        const finished: { id: string }[] = await db().query(
          `INSERT INTO ci_pipelines (project_id, iid, ref, tag, sha, source, status)
           SELECT ($1::bigint[])[1 + i % cardinality($1::bigint[])], 1000 + i, 'main', false, repeat('a', 40), 'push', 'success'
             FROM generate_series(0, 99) i RETURNING id`,
          [[...foreignProjects, fixture.projectId]],
        );
        pipelineIds.push(...finished.map((row) => Number(row.id)));
        await db().query(
          `INSERT INTO ci_builds (pipeline_id, project_id, name, stage, stage_idx, status, timeout, finished_at)
           SELECT p.id, p.project_id, 'old-' || j, 'test', 0, 'success', 3600, now()
             FROM ci_pipelines p, generate_series(1, $2::int / 100) j WHERE p.id = ANY($1)`,
          [pipelineIds, FINISHED_JOBS],
        );
        // Waiting jobs of other projects and groups, queued as the application queues them.
        const waiting: { id: string }[] = await db().query(
          `INSERT INTO ci_pipelines (project_id, iid, ref, tag, sha, source, status)
           SELECT ($1::bigint[])[1 + i % cardinality($1::bigint[])], 2000 + i, 'main', false, repeat('b', 40), 'push', 'running'
             FROM generate_series(0, 19) i RETURNING id`,
          [foreignProjects],
        );
        pipelineIds.push(...waiting.map((row) => Number(row.id)));
        await db().query(
          `WITH queued AS (
             INSERT INTO ci_builds (pipeline_id, project_id, name, stage, stage_idx, status, timeout, queued_at)
             SELECT p.id, p.project_id, 'waiting-' || j, 'test', 0, 'pending', 3600, now()
               FROM ci_pipelines p, generate_series(1, $2::int / 20) j WHERE p.id = ANY($1)
             RETURNING id, project_id, protected)
           INSERT INTO ci_pending_builds (build_id, project_id, namespace_traversal_ids, protected)
           SELECT q.id, q.project_id, n.traversal_ids, q.protected FROM queued q
             JOIN projects p ON p.id = q.project_id JOIN namespaces n ON n.id = p.namespace_id`,
          [waiting.map((row) => Number(row.id)), FOREIGN_PENDING_JOBS],
        );
        const runners = db().getRepository(Runner);
        const expectations: [Runner, string][] = [
          [await runners.findOneByOrFail({ projectId: fixture.projectId }), 'ci_pending_builds_project_order'],
          [await runners.findOneByOrFail({ id: groupRunner.id }), 'ci_pending_builds_namespace_traversal_ids'],
          [await runners.findOneByOrFail({ id: instanceRunner.id }), 'ci_pending_builds_pkey'],
        ];
        // Right after the load (no statistics yet, unless autovacuum was quick), then as autovacuum leaves them; and
        // the generic plan PostgreSQL may keep for the prepared claim (the pickup prepares it once per connection).
        for (const statistics of ['as loaded', 'analyzed', 'analyzed, generic plan']) {
          if (statistics === 'analyzed') await db().query('ANALYZE ci_pending_builds, ci_builds');
          for (const [runner, index] of expectations) {
            const [{ 'QUERY PLAN': plan }] = statistics.endsWith('generic plan')
              ? await explainGeneric(runner)
              : await db().query(`EXPLAIN (FORMAT JSON) ${claimStatement(runner.runnerType)}`, claimValues(runner));
            const nodes = nodesOf(plan[0].Plan);
            const scans = nodes
              .filter(
                (node) => node['Node Type'] !== 'ModifyTable' && (node['Relation Name'] !== undefined || node['Index Name'] !== undefined),
              )
              .map((node) => ({ type: node['Node Type'], relation: node['Relation Name'], index: node['Index Name'] }));
            expect({ statistics, runner: runner.runnerType, scans }).toEqual({
              statistics,
              runner: runner.runnerType,
              scans: expect.arrayContaining([
                expect.objectContaining({ type: expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Index Scan)$/), index }),
              ]),
            });
            // The whole pickup statement: the queue is read through its index, nothing that grows with history is scanned
            // whole (the job's own rows are read by key), wherever the planner puts the claim.
            const historyScans = scans.filter((scan) => HISTORY_TABLES.includes(scan.relation ?? ''));
            expect(historyScans.filter((scan) => !/^(Index Scan|Index Only Scan|Bitmap Heap Scan)$/.test(scan.type))).toEqual([]);
            expect(scans.filter((scan) => scan.relation === 'ci_pending_builds' && scan.type === 'Seq Scan')).toEqual([]);
            // A project runner's claim reads its queue in order and stops at the first job it can lock, never fetching
            // and sorting every queued job of the project (which the generic plan did while it took the tag match for
            // a filter that keeps 0.5 % of the rows).
            if (runner.runnerType === 'project_type' && statistics.endsWith('generic plan'))
              expect({ statistics, queue: scans.filter((scan) => scan.index === index).map((scan) => scan.type) }).toEqual({
                statistics,
                queue: ['Index Scan'],
              });
          }
        }

        await requestJob(api, fixture.runnerToken).expect(204);
        await requestJob(api, groupRunner.token).expect(204);
        const inScope = await runPipeline(api, owner, fixture.projectId);
        const viaProject = await takeJob(api, fixture.runnerToken);
        const viaGroup = await takeJob(api, groupRunner.token);
        const ids: { id: string }[] = await db().query('SELECT id FROM ci_builds WHERE pipeline_id = $1 ORDER BY id', [inScope.id]);
        expect([viaProject.id, viaGroup.id]).toEqual(ids.map((row) => Number(row.id)));
        await requestJob(api, fixture.runnerToken).expect(204);
        await requestJob(api, groupRunner.token).expect(204);
      } finally {
        // Other test files' instance runners would take these jobs otherwise.
        await db().query('DELETE FROM ci_pipelines WHERE id = ANY($1)', [pipelineIds]);
      }
      expect(await db().query('SELECT count(*)::int AS left FROM ci_pending_builds WHERE project_id = ANY($1)', [foreignProjects])).toEqual(
        [{ left: 0 }],
      );
    },
    SLOW_TEST_MS,
  );
});
