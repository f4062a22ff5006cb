import { AccessLevel } from './access-level';

export type MemberSourceType = 'Namespace' | 'Project';
export type ResourceVisibility = 'private' | 'internal' | 'public';

export interface Membership {
  readonly sourceType: MemberSourceType;
  readonly sourceId: number;
  readonly accessLevel: AccessLevel;
}

/** A group (its traversal ids, root first, itself last) or a project (its id and its namespace's traversal ids). */
export interface AccessTarget {
  readonly projectId?: number;
  readonly namespaceTraversalIds: readonly number[];
}

/**
 * The caller's effective level on a target: the highest of their memberships on the target itself and on every
 * ancestor group. A membership elsewhere never counts.
 */
export function resolveAccessLevel(memberships: readonly Membership[], target: AccessTarget): AccessLevel {
  const ancestors = new Set(target.namespaceTraversalIds);
  let level = AccessLevel.NoAccess;
  for (const membership of memberships) {
    const applies =
      membership.sourceType === 'Namespace'
        ? ancestors.has(membership.sourceId)
        : target.projectId !== undefined && membership.sourceId === target.projectId;
    if (applies && membership.accessLevel > level) level = membership.accessLevel;
  }
  return level;
}

/**
 * The groups along `traversalIds` (root first) on which the memberships give at least `required`: a role on a group
 * holds in every group below it, so once one qualifies, so does the rest of the path.
 */
export function groupsAtLevel(memberships: readonly Membership[], traversalIds: readonly number[], required: AccessLevel): number[] {
  return traversalIds.filter(
    (_id, index) => resolveAccessLevel(memberships, { namespaceTraversalIds: traversalIds.slice(0, index + 1) }) >= required,
  );
}

export type AccessDecision = 'allow' | 'not_found' | 'forbidden';

export interface AccessRequest {
  readonly level: AccessLevel;
  readonly admin: boolean;
  readonly visibility: ResourceVisibility;
  /** NoAccess: seeing the resource is enough. */
  readonly required: AccessLevel;
}

/**
 * GitLab's answer shape: a resource the caller cannot see does not exist for them (404); one they can see but not
 * change is 403. Every caller here is authenticated, so internal and public resources are visible to all.
 */
export function decideAccess(request: AccessRequest): AccessDecision {
  if (request.admin) return 'allow';
  const visible = request.level >= AccessLevel.Guest || request.visibility !== 'private';
  if (!visible) return 'not_found';
  return request.level >= request.required ? 'allow' : 'forbidden';
}
