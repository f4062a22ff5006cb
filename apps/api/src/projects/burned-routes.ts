import { EntityManager } from 'typeorm';
import { namespaceFullPathSql } from '../namespaces/namespace-paths';

/** A full path a project gave up (GitLab's `burned_project_routes`), by that project. */
export interface BurnedRoute {
  readonly path: string;
  readonly projectId: number;
}

/** Each project's full path, from its namespace chain, in one query. */
const PROJECT_FULL_PATHS = `
  SELECT p.id AS project_id, ${namespaceFullPathSql('n')} || '/' || p.path AS path
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
 * Records paths given up, in the caller's transaction (the rename, transfer or delete that vacates them). The first
 * project to give a path up keeps it, as GitLab's `insert_all … unique_by`: a later owner of the path, moving away
 * again, does not take over the record and so cannot clear it for itself.
 */
export async function burnRoutes(tx: EntityManager, routes: readonly BurnedRoute[]): Promise<void> {
  if (routes.length === 0) return;
  await tx.query(
    `INSERT INTO burned_routes (path, project_id)
     SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT ((lower(path))) DO NOTHING`,
    [routes.map((route) => route.path), routes.map((route) => route.projectId)],
  );
}

/**
 * SQL: whether the full path in parameter `path` is one a project other than parameter `projectId` gave up (GitLab's
 * `blocked_for?`). An expression, so a caller can ask it of several projects in the query that needs the answers.
 */
export function reclaimedPathSql(path: string, projectId: string): string {
  return `EXISTS (SELECT 1 FROM burned_routes WHERE lower(path) = lower(${path}) AND project_id <> ${projectId})`;
}
