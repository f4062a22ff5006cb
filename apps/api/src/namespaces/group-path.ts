import { EntityManager } from 'typeorm';
import { burnRoutes, projectRoutesUnder } from '../routes/burned-routes';
import { Namespace } from '../entities/namespace.entity';
import { NamespaceError } from './namespace-errors';

/**
 * Whether `path` is free below `parentId` (null: the top level, shared with users' personal namespaces): subgroups
 * and projects of one parent share the URL space below it.
 */
export async function isGroupPathFree(
  tx: EntityManager,
  path: string,
  parentId: number | null,
  exceptGroupId: number | null,
): Promise<boolean> {
  const clash: unknown[] =
    parentId === null
      ? await tx.query('SELECT 1 FROM namespaces WHERE parent_id IS NULL AND lower(path) = lower($1) AND id IS DISTINCT FROM $2', [
          path,
          exceptGroupId,
        ])
      : await tx.query(
          `SELECT 1 FROM namespaces WHERE parent_id = $2 AND lower(path) = lower($1) AND id IS DISTINCT FROM $3
           UNION ALL SELECT 1 FROM projects WHERE namespace_id = $2 AND lower(path) = lower($1)`,
          [path, parentId, exceptGroupId],
        );
  return clash.length === 0;
}

export async function assertGroupPathFree(
  tx: EntityManager,
  path: string,
  parentId: number | null,
  exceptGroupId: number | null,
): Promise<void> {
  if (!(await isGroupPathFree(tx, path, parentId, exceptGroupId))) throw new NamespaceError('PATH_TAKEN');
}

/**
 * `PUT /groups/:id` with `path`, in the update's transaction. Every project below gives up its full path, which is
 * burned (GitLab: `Routes::RenameDescendantsService` + `BurnedProjectRoute.bulk_burn!`); the group's own path is
 * not, as GitLab (no `sub` names a group alone).
 */
export async function changeGroupPath(tx: EntityManager, group: Namespace, path: string): Promise<void> {
  if (path === group.path) return;
  await assertGroupPathFree(tx, path, group.parentId, group.id);
  await burnRoutes(tx, await projectRoutesUnder(tx, group.id));
  await tx.getRepository(Namespace).update(group.id, { path });
}
