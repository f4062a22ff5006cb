import { EntityManager } from 'typeorm';
import type { Runner } from '../runners/runner.entity';

/**
 * The runner queue (GitLab's `ci_pending_builds` and `Ci::UpdateBuildQueueService`): a job has a row here exactly
 * while its status is `pending`. Every move into or out of `pending` goes through this file, in the transaction that
 * changes the status, so the invariant lives in one place and a poll reads only the queue, whatever the history.
 */

/**
 * Queues a project's jobs. The project and its namespace are locked (KEY SHARE) before their traversal ids are
 * copied: a transfer moving them meanwhile either commits first, and is read here, or waits and then rewrites these
 * rows with the ids it sets (`refreshQueuedScope`).
 */
export async function enqueueBuilds(tx: EntityManager, projectId: number, buildIds: readonly number[], queuedAt: Date): Promise<void> {
  if (buildIds.length === 0) return;
  const [{ namespace_id }]: { namespace_id: string }[] = await tx.query('SELECT namespace_id FROM projects WHERE id = $1 FOR KEY SHARE', [
    projectId,
  ]);
  const [{ traversal_ids }]: { traversal_ids: number[] }[] = await tx.query(
    'SELECT traversal_ids FROM namespaces WHERE id = $1 FOR KEY SHARE',
    [namespace_id],
  );
  await tx.query(`UPDATE ci_builds SET status = 'pending', queued_at = $2 WHERE id = ANY($1)`, [buildIds, queuedAt]);
  await tx.query(
    `INSERT INTO ci_pending_builds (build_id, project_id, namespace_traversal_ids, protected)
     SELECT id, project_id, $2::bigint[], protected FROM ci_builds WHERE id = ANY($1)`,
    [buildIds, traversal_ids],
  );
}

/** Where a claim's parameters go: the runner's scope (none for instance runners), its id and its token's digest. */
export interface ClaimParameters {
  readonly scope: string;
  readonly runnerId: string;
  readonly runnerDigest: string;
}

/**
 * Takes the oldest queued job in the runner's scope off the queue, returning its `build_id`: the row is locked and
 * deleted in one statement; rows other pickups hold are skipped, never waited on. The pickup runs it as a CTE of the
 * query that reads the claimed job (`JobRecordLoader.claim`). The caller must move the job out of `pending` in the same
 * transaction (running, or failed); if it rolls back, the job is queued again. One index per runner scope (see the
 * migration), oldest job first. Project and group scopes sort by `build_id + 0` on purpose: ordered by the bare key,
 * the planner may walk the primary key in order and filter each row, betting that a match comes soon (always so in
 * the generic plan of the prepared claim, which does not know the project; for groups, array estimates are blind),
 * which reads every other pending job on an idle poll. A project's jobs come in that order from their own index
 * (`ci_pending_builds_project_order`); a group's are fetched from the GIN index and sorted.
 *
 * Nothing is claimed unless the runner's row is there, active and still holds the token's digest, share-locked until
 * the transaction ends: no replica's cached session outlives a pause, a deletion or a token reset, and a pause
 * committed while a pickup holds the lock waits for it, so no job starts after the pause was answered.
 */
export function claimQuery(runner: Pick<Runner, 'runnerType'>, parameters: ClaimParameters = claimParameterPlaces(runner)): string {
  const [scope, order] =
    runner.runnerType === 'instance_type'
      ? ['TRUE', 'build_id']
      : runner.runnerType === 'group_type'
        ? [`namespace_traversal_ids && (SELECT ARRAY[${parameters.scope}::bigint])`, 'build_id + 0']
        : [`project_id = ${parameters.scope}`, 'build_id + 0'];
  const runnerActive = `EXISTS (SELECT 1 FROM ci_runners WHERE id = ${parameters.runnerId} AND token_digest = ${parameters.runnerDigest} AND active FOR SHARE)`;
  return `DELETE FROM ci_pending_builds WHERE build_id = (
            SELECT build_id FROM ci_pending_builds WHERE ${runnerActive} AND ${scope} ORDER BY ${order} LIMIT 1 FOR UPDATE SKIP LOCKED
          ) RETURNING build_id`;
}

/** `$n` places for `claimParams`' values, for running the claim on its own. */
function claimParameterPlaces(runner: Pick<Runner, 'runnerType'>): ClaimParameters {
  return runner.runnerType === 'instance_type'
    ? { scope: '', runnerId: '$1', runnerDigest: '$2' }
    : { scope: '$1', runnerId: '$2', runnerDigest: '$3' };
}

/** The values of `claimQuery`'s own placeholders, in order. */
export function claimParams(runner: Runner): (number | string)[] {
  const check = [runner.id, runner.tokenDigest];
  return runner.runnerType === 'instance_type'
    ? check
    : [runner.runnerType === 'group_type' ? runner.namespaceId! : runner.projectId!, ...check];
}

/** Jobs leaving the queue for another reason than a pickup (their fork was deleted), in the caller's transaction. */
export async function dequeueBuilds(tx: EntityManager, buildIds: readonly number[]): Promise<void> {
  if (buildIds.length === 0) return;
  await tx.query('DELETE FROM ci_pending_builds WHERE build_id = ANY($1)', [buildIds]);
}

/** Takes the projects' queued jobs off the queue (their statuses change next, in the same transaction). */
export async function dequeueProjects(tx: EntityManager, projectIds: readonly number[]): Promise<void> {
  await tx.query('DELETE FROM ci_pending_builds WHERE project_id = ANY($1)', [projectIds]);
}

/**
 * After a transfer changed traversal ids (a project moved, or a group and everything below it): the queued jobs of
 * those projects take the new ids, so group runners find them where they now are (GitLab does this in
 * `Ci::PendingBuilds::UpdateProjectWorker` / `UpdateGroupWorker`, later; here in the transfer's transaction).
 */
export async function refreshQueuedScope(
  tx: EntityManager,
  moved: { readonly projectId: number } | { readonly groupId: number },
): Promise<void> {
  const [where, id] =
    'projectId' in moved ? ['q.project_id = $1', moved.projectId] : ['q.namespace_traversal_ids && ARRAY[$1::bigint]', moved.groupId];
  await tx.query(
    `UPDATE ci_pending_builds q SET namespace_traversal_ids = n.traversal_ids
       FROM projects p JOIN namespaces n ON n.id = p.namespace_id
      WHERE p.id = q.project_id AND ${where}`,
    [id],
  );
}
