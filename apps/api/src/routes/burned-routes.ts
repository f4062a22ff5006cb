import { EntityManager } from 'typeorm';
import { namespaceFullPathSql, projectFullPathSql } from '../database/sql-fragments';

/** A full path a project gave up (GitLab's `burned_project_routes`), by that project. */
export interface BurnedRoute {
  readonly path: string;
  readonly projectId: number;
}

/** Each project's full path, from its namespace chain, in one query. */
const PROJECT_FULL_PATHS = `
  SELECT p.id AS project_id, ${projectFullPathSql(namespaceFullPathSql('n'), 'p.path')} AS path
    FROM projects p JOIN namespaces n ON n.id = p.namespace_id`;

/** The current full paths of the given projects. */
export async function projectRoutes(tx: EntityManager, projectIds: readonly number[]): Promise<BurnedRoute[]> {
  const rows: { project_id: string; path: string }[] = await tx.query(`${PROJECT_FULL_PATHS} WHERE p.id = ANY($1)`, [projectIds]);
  return rows.map((row) => ({ path: row.path, projectId: Number(row.project_id) }));
}

/** The current full paths of every project below a group, at any depth: all of them move with it. */
export async function projectRoutesUnder(tx: EntityManager, groupId: number): Promise<BurnedRoute[]> {
  const rows: { project_id: string; path: string }[] = await tx.query(`${PROJECT_FULL_PATHS} WHERE $1 = ANY(n.traversal_ids)`, [groupId]);
  return rows.map((row) => ({ path: row.path, projectId: Number(row.project_id) }));
}

/**
 * Records paths given up, in the caller's transaction (the rename, transfer or delete that vacates them). Every project
 * that gives a path up is kept: the first owner, coming back after another project held the path, must not mint what
 * that project's relying parties trust. A project giving a path up again is recorded anew, so no earlier release
 * covers it.
 */
export async function burnRoutes(tx: EntityManager, routes: readonly BurnedRoute[]): Promise<void> {
  if (routes.length === 0) return;
  const burned: { id: string }[] = await tx.query(
    `INSERT INTO burned_routes (path, project_id)
     SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT ((lower(path)), project_id) DO UPDATE SET burned_at = now()
     RETURNING id`,
    [routes.map((route) => route.path), routes.map((route) => route.projectId)],
  );
  await tx.query('DELETE FROM reclaimed_path_releases WHERE burned_route_id = ANY($1::bigint[])', [burned.map((row) => row.id)]);
}
