import { AccessLevel } from './access-level';
import type { ResourceVisibility } from './resolve-access';

const VISIBILITY_ORDER: readonly ResourceVisibility[] = ['private', 'internal', 'public'];

export interface ForkActor {
  readonly level: AccessLevel;
  readonly admin: boolean;
}

/**
 * GitLab's `fork_project` ability: reporters and above, or any signed-in user when the project is public or internal
 * (`public_user_access`). Creating the fork also takes the right to create projects in the target namespace.
 */
export function mayForkProject(actor: ForkActor, visibility: ResourceVisibility): boolean {
  return actor.admin || actor.level >= AccessLevel.Reporter || visibility !== 'private';
}

/**
 * GitLab's `ForkService#target_visibility_level`: the lowest of the source's visibility, the target group's (a user
 * namespace sets no limit) and the one asked for, so a fork is never more visible than what it copies.
 */
export function forkVisibility(
  source: ResourceVisibility,
  targetGroup: ResourceVisibility | null,
  requested: ResourceVisibility | undefined,
): ResourceVisibility {
  const levels = [source, targetGroup, requested].filter((level): level is ResourceVisibility => level !== null && level !== undefined);
  return VISIBILITY_ORDER[Math.min(...levels.map((level) => VISIBILITY_ORDER.indexOf(level)))];
}

export interface MergeRequestPipelineAccess {
  /** The merge request's source project is another project (a fork). */
  readonly forFork: boolean;
  /** Developer or above (or admin) in the target project: GitLab's `create_pipeline` there. */
  readonly mayCreatePipelineInTarget: boolean;
  /** May push to the source branch in the target project (same-project merge requests only). */
  readonly mayUpdateSourceBranchInTarget: boolean;
  readonly mayCreatePipelineInSource: boolean;
}

/**
 * Where a merge-request pipeline runs, as GitLab's `MergeRequests::CreatePipelineService`: in the target project
 * for whoever may run pipelines there (for a fork, a member of the parent: the fork's code then runs with the
 * parent's unprotected variables and runners), else in the source project, else nowhere.
 */
export function mergeRequestPipelineProject(access: MergeRequestPipelineAccess): 'target' | 'source' | null {
  if (access.mayCreatePipelineInTarget && (access.forFork || access.mayUpdateSourceBranchInTarget)) return 'target';
  return access.mayCreatePipelineInSource ? 'source' : null;
}
