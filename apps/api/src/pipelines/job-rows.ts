import type { JobDefinition } from '@lanyard/ci-config';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { BuildMetadata } from './build-metadata.entity';
import { Build } from './build.entity';
import type { Project } from '../entities/project.entity';
import type { JobEnvironment } from './environment-names';
import { jobMetadataOf } from './job-metadata';
import { progressionColumns } from './job-progression';
import type { Pipeline } from './pipeline.entity';
import type { RunnerOptionsSeed } from './runner-options-seed';

/** A job as its pipeline's creation decided it, before it has an id. */
export interface PlannedJob {
  readonly definition: JobDefinition;
  readonly build: Omit<Build, 'id' | 'createdAt'>;
  readonly metadata: Omit<BuildMetadata, 'buildId'>;
}

/** What decides a new job's rows. */
export interface JobToPlan {
  readonly project: Project;
  readonly pipeline: Pipeline;
  readonly job: JobDefinition;
  readonly stageIdx: number;
  readonly refProtected: boolean;
  readonly environment: JobEnvironment | null;
  readonly runnerOptions: RunnerOptionsSeed;
}

/** A job whose environment name expands to an invalid one is created failed, as GitLab's `Chain::EnsureEnvironments`. */
export async function planJob(tx: EntityManager, input: JobToPlan, now: Date): Promise<PlannedJob> {
  const { project, pipeline, job, environment, runnerOptions } = input;
  const refused = environment !== null && !environment.valid;
  return {
    definition: job,
    build: {
      pipelineId: pipeline.id,
      projectId: project.id,
      name: job.name,
      stage: job.stage,
      stageIdx: input.stageIdx,
      status: refused ? 'failed' : 'created',
      userId: pipeline.userId,
      runnerId: null,
      tokenDigest: null,
      failureReason: refused ? 'environment_creation_failure' : null,
      timeout: job.timeoutSeconds ?? project.buildTimeout,
      protected: input.refProtected,
      queuedAt: null,
      startedAt: null,
      finishedAt: refused ? now : null,
      scheduledAt: null,
      exitCode: null,
      coverage: null,
      erasedAt: null,
      erasedById: null,
      ...(await progressionColumns(tx, project.id, job, (definition) => runnerOptions.variablesFor(definition))),
    },
    metadata: jobMetadataOf(job, environment, await runnerOptions.of(job)),
  };
}

/**
 * Writes a new pipeline's jobs, their metadata and their `needs` (GitLab's `ci_build_needs`) in four statements,
 * whatever the number of jobs: each takes its rows as one JSON parameter. (Per-row INSERTs, or TypeORM's multi-row
 * builder with ~25 parameters a row, cost more than parsing the YAML of a 1,000-job file.)
 */
export async function insertJobs(tx: EntityManager, jobs: readonly PlannedJob[]): Promise<void> {
  if (jobs.length === 0) return;
  // The ids are drawn first, one per job in order: names need not be unique (a written job may share a `parallel:`
  // job's name), and RETURNING's order is not promised.
  const drawn: { id: string }[] = await tx.query(
    "SELECT nextval(pg_get_serial_sequence('ci_builds', 'id')) AS id FROM generate_series(1, $1)",
    [jobs.length],
  );
  const ids = drawn.map((row) => Number(row.id));
  await insertRows(
    tx,
    Build,
    jobs.map((job, index) => ({ id: ids[index], ...job.build })),
  );
  await insertRows(
    tx,
    BuildMetadata,
    jobs.map((job, index) => ({ buildId: ids[index], ...job.metadata })),
  );
  const needs = jobs.flatMap((job, index) => (job.definition.needs ?? []).map((need) => ({ buildId: ids[index], ...need })));
  if (needs.length === 0) return;
  await tx.query(
    `INSERT INTO ci_build_needs (build_id, name, artifacts, optional)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::boolean[])`,
    [
      needs.map((need) => need.buildId),
      needs.map((need) => need.job),
      needs.map((need) => need.artifacts),
      needs.map((need) => need.optional),
    ],
  );
}

/**
 * `rows` (entity property names) into the entity's table through `json_populate_recordset`: the table's own column
 * types read the JSON, and `json` (not `jsonb`) keeps the key order of `json` columns. Columns not given keep their
 * defaults.
 */
async function insertRows<T extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const metadata = tx.connection.getMetadata(entity);
  const properties = Object.keys(rows[0]);
  const columns = properties.map((property) => metadata.findColumnWithPropertyName(property)!.databaseName);
  const json = rows.map((row) => Object.fromEntries(properties.map((property, index) => [columns[index], row[property] ?? null])));
  const list = columns.map((column) => `"${column}"`).join(', ');
  await tx.query(
    `INSERT INTO ${metadata.tableName} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${metadata.tableName}, $1::json)`,
    [JSON.stringify(json)],
  );
}
