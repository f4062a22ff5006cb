import { autoRetryAllowed } from '@lanyard/pipelines';
import type { EntityManager } from 'typeorm';
import type { Build } from './build.entity';

/**
 * GitLab's automatic retry (`Ci::Build#auto_retry_allowed?`, `Ci::RetryJobService`): a failed job whose `retry:`
 * allows it is replaced by a copy, a new job with a new id waiting to start (`created`, then started by progression
 * like any other), and the failed one is marked `retried`. Returns whether it was retried.
 */
export async function retryIfAllowed(tx: EntityManager, build: Build, now: Date): Promise<boolean> {
  if (build.status !== 'failed' || build.failureReason === null) return false;
  const [{ count }]: { count: string }[] = await tx.query(
    'SELECT count(*) AS count FROM ci_builds WHERE pipeline_id = $1 AND name = $2 AND retried',
    [build.pipelineId, build.name],
  );
  const allowed = autoRetryAllowed({
    retry: build.retry,
    failureReason: build.failureReason,
    exitCode: build.exitCode,
    retriesCount: Number(count),
  });
  if (!allowed) return false;
  await cloneBuild(tx, build.id, now);
  return true;
}

/**
 * Copies a job row by row (every column, also those added later, through `jsonb_populate_record`), resetting what
 * belongs to one run; its metadata, needs and played variables come along. The old job's ID tokens are superseded.
 */
export async function cloneBuild(tx: EntityManager, buildId: number, now: Date): Promise<number> {
  const [{ id }]: { id: string }[] = await tx.query(
    `INSERT INTO ci_builds
     SELECT (jsonb_populate_record(b, jsonb_build_object(
       'id', nextval(pg_get_serial_sequence('ci_builds', 'id')), 'status', 'created', 'retried', false, 'created_at', $2::timestamptz,
       'runner_id', NULL,
       -- An exit code may have allowed the failure; the copy starts from the definition (exit codes imply false).
       'allow_failure', b.allow_failure AND b.allow_failure_exit_codes IS NULL, 'token_digest', NULL, 'failure_reason', NULL, 'exit_code', NULL, 'scheduled_at', NULL, 'coverage', NULL,
       'queued_at', NULL, 'started_at', NULL, 'finished_at', NULL, 'reported_at', NULL, 'erased_at', NULL, 'erased_by_id', NULL))).*
       FROM ci_builds b WHERE b.id = $1
     RETURNING id`,
    [buildId, now],
  );
  await tx.query('UPDATE ci_builds SET retried = true WHERE id = $1', [buildId]);
  // The copy gets its own tokens at pickup; the audit shows the old job's as superseded, by which job (even after a cancel).
  await tx.query(
    `UPDATE ci_id_token_issuances SET superseded_at = coalesce(superseded_at, $3), superseded_reason = coalesce(superseded_reason, 'retried'),
            superseded_by_job_id = $2
      WHERE build_id = $1`,
    [buildId, id, now],
  );
  await tx.query(
    `INSERT INTO ci_builds_metadata SELECT (jsonb_populate_record(m, jsonb_build_object('build_id', $2::bigint))).*
       FROM ci_builds_metadata m WHERE m.build_id = $1`,
    [buildId, id],
  );
  await tx.query(
    'INSERT INTO ci_build_needs (build_id, name, artifacts, optional) SELECT $2, name, artifacts, optional FROM ci_build_needs WHERE build_id = $1 ORDER BY id',
    [buildId, id],
  );
  await tx.query(
    'INSERT INTO ci_job_variables (build_id, key, value, variable_type) SELECT $2, key, value, variable_type FROM ci_job_variables WHERE build_id = $1',
    [buildId, id],
  );
  return Number(id);
}

/**
 * GitLab's `Ci::ResetSkippedJobsService`, after a job is retried by hand: the jobs its failure skipped (later stages,
 * and those needing it) wait again, for progression to decide them anew.
 */
export async function resetSkippedAfter(tx: EntityManager, build: Build): Promise<void> {
  await tx.query(
    `UPDATE ci_builds b SET status = 'created', finished_at = NULL
      WHERE b.pipeline_id = $1 AND NOT b.retried AND b.status = 'skipped'
        AND (b.stage_idx > $2 OR EXISTS (SELECT 1 FROM ci_build_needs n WHERE n.build_id = b.id AND n.name = $3))`,
    [build.pipelineId, build.stageIdx, build.name],
  );
}
