import { AccessLevel } from './access-level';
import { AccessTarget, Membership, resolveAccessLevel } from './resolve-access';

/** GitLab's `ProtectedEnvironments::Authorizable::ALLOWED_ACCESS_LEVELS`: reporters+, developers+, maintainers, admins. */
export const DEPLOY_ACCESS_LEVELS = [AccessLevel.Reporter, AccessLevel.Developer, AccessLevel.Maintainer, 60] as const;
export type DeployAccessLevel = (typeof DEPLOY_ACCESS_LEVELS)[number];

/** GitLab's `GROUP_INHERITANCE_TYPE`: 0 counts direct members of the group only, 1 members of its ancestors too. */
export const GROUP_INHERITANCE_TYPES = [0, 1] as const;
export type GroupInheritanceType = (typeof GROUP_INHERITANCE_TYPES)[number];

/** One `deploy_access_levels` entry: a role, a user or a group (GitLab's `type`). */
export type DeployAccessRule =
  | { readonly type: 'role'; readonly accessLevel: DeployAccessLevel }
  | { readonly type: 'user'; readonly userId: number }
  | { readonly type: 'group'; readonly groupTraversalIds: readonly number[]; readonly groupInheritanceType: GroupInheritanceType };

/** The job's user as deploy rules see them: their memberships on the project, its ancestors and the rules' groups. */
export interface Deployer {
  readonly userId: number;
  readonly admin: boolean;
  readonly memberships: readonly Membership[];
  readonly project: AccessTarget;
}

/** GitLab's `ProtectedEnvironments::Authorizable#check_access`. */
export function deployRuleAdmits(rule: DeployAccessRule, deployer: Deployer): boolean {
  if (deployer.admin) return true;
  switch (rule.type) {
    case 'user':
      return rule.userId === deployer.userId;
    case 'group': {
      const groupId = rule.groupTraversalIds[rule.groupTraversalIds.length - 1];
      // Direct: `group.users` (members of that group only); all: `group.member?` (its ancestors' members count too).
      return rule.groupInheritanceType === 1
        ? resolveAccessLevel(deployer.memberships, { namespaceTraversalIds: rule.groupTraversalIds }) >= AccessLevel.Guest
        : deployer.memberships.some((membership) => membership.sourceType === 'Namespace' && membership.sourceId === groupId);
    }
    case 'role':
      // The project role, inherited from groups (`container_access_level`); no role reaches the admin level (60).
      return resolveAccessLevel(deployer.memberships, deployer.project) >= rule.accessLevel;
  }
}

/**
 * GitLab's `Environment#protected_from?`: an environment protected by `rules` (null: not protected) refuses a
 * deployer none of whose rules admits them (`ProtectedEnvironment#accessible_to?`: any rule is enough). A job
 * without a user cannot deploy to a protected environment.
 */
export function isProtectedFrom(rules: readonly DeployAccessRule[] | null, deployer: Deployer | null): boolean {
  if (rules === null) return false;
  if (deployer === null) return true;
  return !rules.some((rule) => deployRuleAdmits(rule, deployer));
}
