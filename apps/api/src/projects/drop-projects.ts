import { EntityManager } from 'typeorm';
import { dequeueProjects } from '../builds/pending-builds';
import { burnRoutes, projectRoutes } from './burned-routes';

/**
 * Deletes projects inside the caller's transaction: burns their paths, then, as GitLab's
 * `Ci::AbortPipelinesService(:project_deleted)`, fails their unfinished jobs first. Their queued jobs leave the queue
 * first: that delete locks the queue rows, so a runner polling meanwhile skips them (SKIP LOCKED), and a pickup
 * already holding one finishes before the delete goes on (the job it took is running then, out of the update below):
 * no job of a deleted project is handed out, or minted a token, after the delete. Everything else of the projects
 * goes by cascade; memberships are polymorphic rows without a foreign key and go explicitly.
 */
export async function dropProjects(tx: EntityManager, projectIds: readonly number[], at: Date): Promise<void> {
  if (projectIds.length === 0) return;
  await burnRoutes(tx, await projectRoutes(tx, projectIds));
  await dequeueProjects(tx, projectIds);
  await tx.query(
    `UPDATE ci_builds SET status = 'failed', failure_reason = 'project_deleted', finished_at = $2
      WHERE project_id = ANY($1) AND status IN ('created', 'pending')`,
    [projectIds, at],
  );
  await tx.query(`DELETE FROM members WHERE source_type = 'Project' AND source_id = ANY($1)`, [projectIds]);
  await tx.query('DELETE FROM projects WHERE id = ANY($1)', [projectIds]);
}
