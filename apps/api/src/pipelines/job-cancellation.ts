import { JOB_CANCELABLE_STATUSES, PIPELINE_CANCELABLE_STATUSES } from '@lanyard/pipelines';
import type { EntityManager } from 'typeorm';
import { lockResourceGroups, releaseResourceGroup } from '../queue/resource-groups';
import { Build } from './build.entity';
import { cloneBuild, resetSkippedAfter } from './job-retries';
import type { PipelineProgressService } from './pipeline-progress.service';

interface CancelRow {
  id: string;
  status: string;
  project_id: string;
  resource_group_id: string | null;
}

/**
 * Cancels those of `buildIds` (jobs of one pipeline) that may be: a job's cancel also takes a manual job, a pipeline's
 * leaves it to be played. Locks as the others do, so none waits for another in a circle: queue rows first (a runner
 * claiming one finishes its pickup), then the jobs runners hold (pending, running: the order `PUT /jobs/:id` takes its
 * job and then the pipeline), then the pipeline, then the project's resource groups, then the other jobs. A job a runner is claiming at this very moment (queued after the
 * first step) is left to it, as the stuck-jobs scheduler does: canceling it now would be undone by the pickup.
 * A runner learns of its canceled job from the next log append or update (`403` with `Job-Status: canceled`).
 */
export async function cancelBuilds(
  tx: EntityManager,
  progress: PipelineProgressService,
  pipelineId: number,
  buildIds: readonly number[],
  now: Date,
  scope: 'job' | 'pipeline',
): Promise<void> {
  await tx.query('DELETE FROM ci_pending_builds WHERE build_id = ANY($1)', [buildIds]);
  await tx.query(`SELECT id FROM ci_builds WHERE id = ANY($1) AND status IN ('pending', 'running') ORDER BY id FOR UPDATE`, [buildIds]);
  const pipeline = await progress.lockPipeline(tx, pipelineId);
  // The project's resource groups before the jobs no runner holds (see lock-conflicts.ts): a job finishing elsewhere
  // hands its group to a job waiting here under those locks, and this then sees it queued instead of skipping it.
  await lockResourceGroups(tx, pipeline.projectId);
  const cancelable = scope === 'job' ? JOB_CANCELABLE_STATUSES : PIPELINE_CANCELABLE_STATUSES;
  const rows: CancelRow[] = await tx.query(
    `SELECT id, status, project_id, resource_group_id FROM ci_builds WHERE id = ANY($1) AND status = ANY($2) ORDER BY id FOR UPDATE SKIP LOCKED`,
    [buildIds, cancelable],
  );
  const pending = rows.filter((row) => row.status === 'pending').map((row) => row.id);
  await tx.query(
    'DELETE FROM ci_pending_builds WHERE build_id IN (SELECT build_id FROM ci_pending_builds WHERE build_id = ANY($1) FOR UPDATE SKIP LOCKED)',
    [pending],
  );
  const claimed: { build_id: string }[] = await tx.query('SELECT build_id FROM ci_pending_builds WHERE build_id = ANY($1)', [pending]);
  const canceled = rows.filter((row) => !claimed.some((claim) => claim.build_id === row.id));
  if (!canceled.length) return;
  const ids = canceled.map((row) => Number(row.id));
  await tx.query(`UPDATE ci_builds SET status = 'canceled', finished_at = $2 WHERE id = ANY($1)`, [ids, now]);
  await tx.query(
    `UPDATE ci_id_token_issuances SET superseded_at = $2, superseded_reason = 'canceled' WHERE build_id = ANY($1) AND superseded_at IS NULL`,
    [ids, now],
  );
  // A canceled job that held its resource group frees it for the next job waiting (GitLab's `release_resource`).
  const held = canceled.filter((row) => row.resource_group_id !== null && (row.status === 'pending' || row.status === 'running'));
  for (const row of held) await releaseResourceGroup(tx, Number(row.project_id), Number(row.resource_group_id), now);
  await progress.advance(tx, pipelineId);
}

/**
 * GitLab's `Ci::RetryJobService#clone!` by hand: the copy is the retrier's (its user claims name who retried), the
 * jobs the old one's end skipped wait again, and progression decides the copy (a manual job waits to be played).
 */
export async function retryBuild(tx: EntityManager, build: Build, userId: number, now: Date): Promise<number> {
  const copy = await cloneBuild(tx, build.id, now);
  await tx.getRepository(Build).update(copy, { userId });
  await resetSkippedAfter(tx, build);
  return copy;
}
