import { resolveAccessLevel } from '@lanyard/access';
import { RefProtection } from '@lanyard/git-refs';
import { type JobSnapshot, sourceRefOf } from './job-snapshot';

/**
 * A job created on a protected ref whose user may no longer run a pipeline there (push to or merge into it, GitLab's
 * rule at creation): removed from the project, demoted, or the rules changed while the job waited. Its tokens would
 * say `ref_protected: "true"` and its variables hold the protected ones for someone no longer trusted with the ref,
 * so the pickup checks again, as it does deploy access. A job without a user cannot be vouched for.
 */
export function protectedRefAccessRevoked(snapshot: JobSnapshot): boolean {
  const { build, user, project, namespace } = snapshot;
  if (!build.protected) return false;
  if (!user) return true;
  const level = resolveAccessLevel(snapshot.tokenFacts.memberships, {
    projectId: project.id,
    namespaceTraversalIds: namespace.traversalIds,
  });
  return !new RefProtection(snapshot.protectionRules).allowsPipeline(sourceRefOf(snapshot), { level, admin: user.admin });
}
