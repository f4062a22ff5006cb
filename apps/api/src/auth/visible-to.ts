import { utcDate } from '../clock/clock';
import { User } from '../entities/user.entity';

/**
 * SQL condition: the row (a namespace's traversal ids and visibility) is visible to the user: admins see all, others
 * see internal and public ones and those they are a member of, directly or through an ancestor group.
 * `$userParam` must hold the user's id; memberships count until `today` (the clock's), as everywhere else.
 */
export function visibleToSql(
  user: User,
  today: Date,
  traversalIdsColumn: string,
  visibilityColumn: string,
  userParam: number,
  projectIdColumn?: string,
): string {
  // Still references the parameter: callers always bind the user id, and PostgreSQL rejects an unused bind (a 500).
  if (user.admin) return `($${userParam}::bigint IS NOT NULL)`;
  const projectMembership = projectIdColumn ? ` OR (m.source_type = 'Project' AND m.source_id = ${projectIdColumn})` : '';
  // A literal rather than a bind: every caller numbers its own parameters, and the date is formatted from a Date.
  return `(${visibilityColumn} <> 'private' OR EXISTS (
    SELECT 1 FROM members m WHERE m.user_id = $${userParam}
      AND (m.expires_at IS NULL OR m.expires_at > DATE '${utcDate(today)}')
      AND ((m.source_type = 'Namespace' AND m.source_id = ANY(${traversalIdsColumn}))${projectMembership})))`;
}
