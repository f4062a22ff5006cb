import { EntityManager } from 'typeorm';
import { burnRoutes, projectRoutes } from '../routes/burned-routes';
import { Project } from '../entities/project.entity';
import { ProjectError } from './project-errors';

/** A project and a subgroup of one namespace share the URL space below it: neither may take the other's path. */
export async function assertProjectPathFree(
  tx: EntityManager,
  namespaceId: number,
  path: string,
  exceptProjectId: number | null,
): Promise<void> {
  const clash: unknown[] = await tx.query(
    `SELECT 1 FROM projects WHERE namespace_id = $1 AND lower(path) = lower($2) AND id IS DISTINCT FROM $3
     UNION ALL SELECT 1 FROM namespaces WHERE parent_id = $1 AND lower(path) = lower($2)`,
    [namespaceId, path, exceptProjectId],
  );
  if (clash.length) throw new ProjectError('PATH_TAKEN');
}

/**
 * `PUT /projects/:id` with `path`, in the update's transaction. The path given up is burned (GitLab's
 * `Route#burn_vacated_project_path`), so whoever creates a project there later cannot mint this project's `sub`.
 */
export async function changeProjectPath(tx: EntityManager, project: Project, path: string): Promise<void> {
  if (path === project.path) return;
  await assertProjectPathFree(tx, project.namespaceId, path, project.id);
  await burnRoutes(tx, await projectRoutes(tx, [project.id]));
  await tx.getRepository(Project).update(project.id, { path });
}
