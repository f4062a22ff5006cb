import { isProtectedFrom } from '@lanyard/access';
import { type JobSnapshot, runsForeignCode } from './job-snapshot';

/**
 * Whether the job deploys to a protected environment its user may not deploy to, as they are now (GitLab checks when
 * queuing; the pickup checks again, since access can change while a job waits). A fork's code never deploys to a
 * protected environment of the project it runs in, whoever started it: so `environment_protected: "true"` never comes
 * with code the project's own members did not write (stricter than GitLab, which admits it when the user who started
 * the pipeline may deploy).
 */
export function deployRefused(snapshot: JobSnapshot): boolean {
  const { environment, user, project, namespace } = snapshot;
  if (environment === null || environment.deployRules === null) return false;
  if (runsForeignCode(snapshot)) return true;
  const deployer = user && {
    userId: user.id,
    admin: user.admin,
    memberships: environment.deployerMemberships,
    project: { projectId: project.id, namespaceTraversalIds: namespace.traversalIds },
  };
  return isProtectedFrom(environment.deployRules, deployer);
}
