import { EntityManager } from 'typeorm';

/**
 * The runner queue (GitLab's `ci_pending_builds` and `Ci::UpdateBuildQueueService`): a job has a row here exactly
 * while its status is `pending`. Every move into or out of `pending` goes through this file, in the transaction that
 * changes the status, so the invariant lives in one place and a poll reads only the queue, whatever the history.
 */

/**
 * Queues a project's jobs, each with its tags (GitLab's `ci_pending_builds.tag_list`): the claim matches runners on them.
 * The project and its namespace are locked (KEY SHARE) before their traversal ids are
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
    `INSERT INTO ci_pending_builds (build_id, project_id, namespace_traversal_ids, protected, tag_list)
     SELECT b.id, b.project_id, $2::bigint[], b.protected, ARRAY(SELECT json_array_elements_text(m.config_options->'tags'))
       FROM ci_builds b LEFT JOIN ci_builds_metadata m ON m.build_id = b.id WHERE b.id = ANY($1)`,
    [buildIds, traversal_ids],
  );
}

/*
 * Runners claim from the queue in the pickup's own statement (`pickup/snapshot.statement.ts`), which takes a job's
 * row off the queue in the transaction that moves it out of `pending`.
 */

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
