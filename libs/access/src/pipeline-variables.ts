import { AccessLevel } from './access-level';

/** GitLab's `ProjectCiCdSetting#pipeline_variables_minimum_override_role` values. */
export const PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES = ['no_one_allowed', 'developer', 'maintainer', 'owner'] as const;
export type PipelineVariablesMinimumOverrideRole = (typeof PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES)[number];

/** GitLab.com's default for new projects: nobody passes pipeline variables until a maintainer allows it. */
export const PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLE_DEFAULT: PipelineVariablesMinimumOverrideRole = 'no_one_allowed';

const MINIMUM_LEVEL: Record<Exclude<PipelineVariablesMinimumOverrideRole, 'no_one_allowed'>, AccessLevel> = {
  developer: AccessLevel.Developer,
  maintainer: AccessLevel.Maintainer,
  owner: AccessLevel.Owner,
};

export function isPipelineVariablesMinimumOverrideRole(value: unknown): value is PipelineVariablesMinimumOverrideRole {
  return (PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES as readonly unknown[]).includes(value);
}

/**
 * GitLab's `:set_pipeline_variables` (`ProjectCiCdSetting#override_pipeline_variables_allowed?`): the caller's role
 * on the project (memberships, inherited ones included) must reach the setting. As in GitLab, being an admin does
 * not count: the policy reads the membership role only, and `no_one_allowed` means no one.
 */
export function mayOverridePipelineVariables(role: PipelineVariablesMinimumOverrideRole, level: AccessLevel): boolean {
  return role !== 'no_one_allowed' && level >= MINIMUM_LEVEL[role];
}

/**
 * GitLab's `Projects::UpdateService#validate_restrict_user_defined_variables_change`: maintainers change the
 * setting (the route already requires that), but only an owner (or an admin) may choose `owner`, or leave it (as
 * GitLab's documentation says), so a maintainer cannot undo an owner's lock.
 */
export function mayChoosePipelineVariablesRole(
  role: PipelineVariablesMinimumOverrideRole,
  current: PipelineVariablesMinimumOverrideRole,
  actor: { level: AccessLevel; admin: boolean },
): boolean {
  return (role !== 'owner' && current !== 'owner') || role === current || actor.admin || actor.level >= AccessLevel.Owner;
}
