/**
 * SQL fragments more than one module's statements use, defined once. Each takes SQL expressions (column references
 * or `$n` placeholders) and answers an expression or a condition; none carries a value.
 */

/**
 * The full path (`acme/platform/team`) of the namespace row aliased `alias`, from its traversal ids: one primary-key
 * lookup per level (a join let the planner hash every namespace for a path of two).
 */
export function namespaceFullPathSql(alias: string): string {
  return `(SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(${alias}.traversal_ids) WITH ORDINALITY AS t (id, depth))`;
}

/**
 * A project's full path (`acme/platform/app`) from SQL expressions for its namespace's full path (`namespaceFullPathSql`,
 * or a column holding it) and its own path. Built here only in SQL; TypeScript uses `@lanyard/access`'s `projectFullPath`.
 */
export function projectFullPathSql(namespaceFullPath: string, projectPath: string): string {
  return `(${namespaceFullPath} || '/' || ${projectPath})`;
}

/**
 * A condition on `members`: the user's unexpired memberships of the namespaces (an array) and the project. `today` is
 * the clock's UTC date (`utcDate`): a membership ends on its expiry day.
 */
export function membershipsSql(userId: string, namespaceIds: string, projectId: string, today: string): string {
  return `user_id = ${userId}
          AND (expires_at IS NULL OR expires_at > ${today})
          AND ((source_type = 'Namespace' AND source_id = ANY(${namespaceIds})) OR (source_type = 'Project' AND source_id = ${projectId}))`;
}

/**
 * Whether the full path `path` is one a project other than `projectId` gave up, and no admin released for `projectId`
 * since (GitLab's `blocked_for?`, with releases): an expression, so a statement can ask it of several projects.
 */
export function reclaimedPathSql(path: string, projectId: string): string {
  return `EXISTS (SELECT 1 FROM burned_routes burned WHERE lower(burned.path) = lower(${path}) AND burned.project_id <> ${projectId}
                     AND NOT EXISTS (SELECT 1 FROM reclaimed_path_releases released
                                      WHERE released.burned_route_id = burned.id AND released.project_id = ${projectId}))`;
}
