/**
 * A project's full path (`acme/platform/app`, GitLab's `path_with_namespace`): its namespace's full path and its own
 * path. Built here only, in TypeScript; SQL builds it with `projectFullPathSql` (apps/api/src/database/sql-fragments).
 */
export function projectFullPath(namespaceFullPath: string, projectPath: string): string {
  return `${namespaceFullPath}/${projectPath}`;
}
