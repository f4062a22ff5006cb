import { EntityManager } from 'typeorm';
import { dequeueBuilds, dequeueProjects } from '../queue/pending-builds';
import { releaseResourceGroup } from '../queue/resource-groups';
import { burnRoutes, projectRoutes } from '../routes/burned-routes';

/**
 * Deletes projects inside the caller's transaction: burns their paths, then, as GitLab's
 * `Ci::AbortPipelinesService(:project_deleted)`, fails their unfinished jobs first. Their queued jobs leave the queue
 * first: that delete locks the queue rows, so a runner polling meanwhile skips them (SKIP LOCKED), and a pickup
 * already holding one finishes before the delete goes on (the job it took is running then, out of the update below):
 * no job of a deleted project is handed out, or minted a token, after the delete. Everything else of the projects
 * goes by cascade; memberships are polymorphic rows without a foreign key and go explicitly.
 */
/** Jobs not run yet: waiting for their turn, a player, their time or their resource group, or queued. */
const UNFINISHED = `('created', 'manual', 'scheduled', 'waiting_for_resource', 'pending')`;

/** Returns the surviving forks of the dropped projects, which must copy the objects they borrow before the repositories go. */
export async function dropProjects(tx: EntityManager, projectIds: readonly number[], at: Date): Promise<number[]> {
  if (projectIds.length === 0) return [];
  const forks: { id: string }[] = await tx.query('SELECT id FROM projects WHERE forked_from_project_id = ANY($1) AND id <> ALL($1)', [
    projectIds,
  ]);
  await burnRoutes(tx, await projectRoutes(tx, projectIds));
  await dequeueProjects(tx, projectIds);
  // Jobs of merge-request pipelines whose code comes from a deleted fork wait in other projects: their tokens would
  // have to name a project that no longer exists, so they are dropped too (the pipelines stay, in their project).
  const forkJobs: { id: string; project_id: string; resource_group_id: string | null }[] = await tx.query(
    `SELECT b.id, b.project_id, b.resource_group_id FROM ci_builds b
       JOIN ci_pipelines p ON p.id = b.pipeline_id
       JOIN merge_requests m ON m.id = p.merge_request_id
      WHERE m.source_project_id = ANY($1) AND b.project_id <> ALL($1) AND b.status IN ${UNFINISHED}
      FOR UPDATE OF b`,
    [projectIds],
  );
  await dequeueBuilds(
    tx,
    forkJobs.map((row) => Number(row.id)),
  );
  await tx.query(
    `UPDATE ci_builds SET status = 'failed', failure_reason = 'project_deleted', finished_at = $3
      WHERE (project_id = ANY($1) OR id = ANY($2)) AND status IN ${UNFINISHED}`,
    [projectIds, forkJobs.map((row) => row.id), at],
  );
  // A dropped fork job may have held its resource group in the target project: the next job waiting for it goes on.
  for (const row of forkJobs) {
    if (row.resource_group_id !== null) await releaseResourceGroup(tx, Number(row.project_id), Number(row.resource_group_id), at);
  }
  await tx.query(`DELETE FROM members WHERE source_type = 'Project' AND source_id = ANY($1)`, [projectIds]);
  await tx.query('DELETE FROM projects WHERE id = ANY($1)', [projectIds]);
  return forks.map((row) => Number(row.id));
}
