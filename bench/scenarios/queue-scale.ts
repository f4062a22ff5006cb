import type { BenchUser, Fixtures } from '../support/api-client';
import { pickupYaml } from '../support/ci-yaml';
import type { HttpClient } from '../support/http';
import type { ServerProcess } from '../support/server-process';
import { summarize } from '../support/stats';
import { checkExactlyOnce, drainQueue } from './pickup';

export interface QueueScaleResult {
  readonly finishedRows: number;
  readonly foreignPendingRows: number;
  readonly seedSeconds: number;
  readonly idlePollMs: { readonly small: number; readonly large: number };
  readonly pickupMs: { readonly small: number; readonly large: number };
}

/**
 * Whether a poll costs the same at any queue size. Small: an idle group runner polls (204) and a project runner
 * drains `samples` jobs, one at a time, on the database as the earlier scenarios left it. Then SQL adds
 * `finished` finished jobs to the project runner's own project and `pending` pending jobs to a project in another
 * group (copies of real rows made through the API, so every column is as the application writes it), and the same
 * is measured again. Medians, whole requests over HTTP.
 */
export async function runQueueScale(
  client: HttpClient,
  server: ServerProcess,
  fixtures: Fixtures,
  owner: BenchUser,
  sizes: { readonly finished: number; readonly pending: number; readonly samples: number },
  progress: (message: string) => void,
): Promise<QueueScaleResult> {
  const idleGroup = await fixtures.group(owner, 'idle-group');
  const [idleRunner] = await fixtures.runners(owner, { groupId: idleGroup }, 1);
  const projectId = await fixtures.project(owner, 'scale', pickupYaml(sizes.samples));
  const projectRunners = await fixtures.runners(owner, { projectId }, 1);
  const foreignGroup = await fixtures.group(owner, 'foreign-group');
  const foreignProject = await fixtures.project(owner, 'foreign', pickupYaml(1), foreignGroup);
  const foreignPipeline = await fixtures.pipeline(owner, foreignProject);

  const measure = async (phase: string) => {
    const idle: number[] = [];
    const body = JSON.stringify({ token: idleRunner, info: { name: 'lanyard-bench', version: '17.0.0' } });
    for (let index = -5; index < sizes.samples; index++) {
      const start = performance.now();
      const answer = await client.send('POST', '/api/v4/jobs/request', body);
      if (answer.status !== 204) throw new Error(`queue scale (${phase}): the idle group runner got ${answer.status}, expected 204`);
      if (index >= 0) idle.push(performance.now() - start);
    }
    const pipelineId = await fixtures.pipeline(owner, projectId);
    const drain = await drainQueue(client, projectRunners, sizes.samples, sizes.samples);
    await checkExactlyOnce(server, `queue scale (${phase})`, [pipelineId], drain);
    return { idle: summarize(idle).p50, pickup: summarize(drain.latenciesMs).p50, pipelineId };
  };

  // Both halves on a vacuumed database: the scenarios before leave tens of thousands of deleted queue rows, which a
  // server without autovacuum (the shared one here has it off) keeps: an idle group poll then took 165 ms instead of 2,
  // at this commit and the one before, once the pickup rounds had analyzed the queue while it was full.
  await server.sql('VACUUM ANALYZE');
  const small = await measure('small');
  progress(`queue scale: adding ${sizes.finished} finished and ${sizes.pending} foreign pending jobs with SQL`);
  const seedStart = performance.now();
  await copyJobs(server, { templatePipeline: small.pipelineId, rows: sizes.finished, status: 'success' });
  await copyJobs(server, { templatePipeline: foreignPipeline, rows: sizes.pending, status: 'pending' });
  // VACUUM too: measured while autovacuum works through a million fresh rows, the large figures would say more
  // about the vacuum's share of 2 cores than about the queue.
  await server.sql('VACUUM ANALYZE');
  const seedSeconds = Math.round((performance.now() - seedStart) / 1000);
  const pendingNow = await server.sql<{ count: string }>('SELECT count(*) FROM ci_pending_builds WHERE project_id = $1', [foreignProject]);
  if (Number(pendingNow[0].count) !== sizes.pending + 1)
    throw new Error(`queue scale: ${pendingNow[0].count} foreign queued jobs after seeding, expected ${sizes.pending + 1}`);
  const large = await measure('large');
  return {
    finishedRows: sizes.finished,
    foreignPendingRows: sizes.pending + 1,
    seedSeconds,
    idlePollMs: { small: small.idle, large: large.idle },
    pickupMs: { small: small.pickup, large: large.pickup },
  };
}

/**
 * `rows` copies of the first job of `templatePipeline` (and its metadata row) in the same pipeline, with `status`,
 * made by one INSERT … SELECT over generate_series. Columns are read from the catalog so the copy follows schema
 * changes; the job token digest (unique) is left null.
 */
async function copyJobs(server: ServerProcess, options: { templatePipeline: number; rows: number; status: string }): Promise<void> {
  const columns = async (table: string) =>
    (
      await server.sql<{ name: string }>(
        'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
        [table],
      )
    ).map((row) => row.name);
  // Quoted: a column may be named by a reserved word (`when`).
  const quoted = (name: string) => `"${name}"`;
  const overrides: Record<string, string> = {
    status: '$3',
    token_digest: 'NULL',
    name: "left(t.name, 200) || '-' || g",
    created_at: "now() - interval '1 day'",
  };
  const buildColumns = (await columns('ci_builds')).filter((name) => name !== 'id');
  const [template] = await server.sql<{ id: string }>('SELECT min(id) AS id FROM ci_builds WHERE pipeline_id = $1', [
    options.templatePipeline,
  ]);
  const firstNew = await server.sql<{ id: string }>("SELECT nextval('ci_builds_id_seq') AS id");
  await server.sql(
    `INSERT INTO ci_builds (${buildColumns.map(quoted).join(', ')})
     SELECT ${buildColumns.map((name) => overrides[name] ?? `t.${quoted(name)}`).join(', ')}
       FROM ci_builds t CROSS JOIN generate_series(1, $2::int) g WHERE t.id = $1`,
    [template.id, options.rows, options.status],
  );
  const metadataColumns = (await columns('ci_builds_metadata')).filter((name) => name !== 'build_id');
  await server.sql(
    `INSERT INTO ci_builds_metadata (build_id, ${metadataColumns.map(quoted).join(', ')})
     SELECT b.id, ${metadataColumns.map((name) => `m.${quoted(name)}`).join(', ')}
       FROM ci_builds b JOIN ci_builds_metadata m ON m.build_id = $1
      WHERE b.pipeline_id = $2 AND b.id > $3`,
    [template.id, options.templatePipeline, firstNew[0].id],
  );
  if (options.status !== 'pending') return;
  // Runners claim from the queue table only: a pending copy needs its queue row, copied from the template's.
  const queueColumns = (await columns('ci_pending_builds')).filter((name) => name !== 'build_id');
  await server.sql(
    `INSERT INTO ci_pending_builds (build_id, ${queueColumns.map(quoted).join(', ')})
     SELECT b.id, ${queueColumns.map((name) => `q.${quoted(name)}`).join(', ')}
       FROM ci_builds b JOIN ci_pending_builds q ON q.build_id = $1
      WHERE b.pipeline_id = $2 AND b.id > $3`,
    [template.id, options.templatePipeline, firstNew[0].id],
  );
}
