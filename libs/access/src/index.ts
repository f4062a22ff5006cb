export { AccessLevel, MEMBER_ACCESS_LEVELS, isMemberAccessLevel, roleName } from './access-level';
export type { MemberAccessLevel } from './access-level';
export { decideAccess, groupsAtLevel, resolveAccessLevel } from './resolve-access';
export type { AccessDecision, AccessRequest, AccessTarget, MemberSourceType, Membership, ResourceVisibility } from './resolve-access';
export {
  PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES,
  PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLE_DEFAULT,
  isPipelineVariablesMinimumOverrideRole,
  mayChoosePipelineVariablesRole,
  mayOverridePipelineVariables,
} from './pipeline-variables';
export type { PipelineVariablesMinimumOverrideRole } from './pipeline-variables';
export { DEPLOY_ACCESS_LEVELS, GROUP_INHERITANCE_TYPES, deployRuleAdmits, isProtectedFrom } from './deploy-access';
export type { DeployAccessLevel, DeployAccessRule, Deployer, GroupInheritanceType } from './deploy-access';
export { SCOPE_ROUTE_CLASSES, TOKEN_SCOPES, decideSudo, decideTokenScope, isTokenScope } from './token-scopes';
export type { ScopeDecision, ScopeRouteClass, SudoDecision, TokenScope } from './token-scopes';
export { forkVisibility, mayForkProject, mergeRequestPipelineProject } from './forks';
export type { ForkActor, MergeRequestPipelineAccess } from './forks';
export { projectFullPath } from './full-path';
