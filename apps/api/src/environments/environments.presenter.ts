import type { Environment } from './environment.entity';
import { describeDeployAccessLevel, environmentSlug } from './environment-rules';
import type { ProtectedEnvironment } from './protected-environment.entity';

/** GitLab's `Entities::Environment`, for an environment that never stops and has no URL. */
export function presentEnvironment(environment: Environment) {
  const createdAt = environment.createdAt.toISOString();
  return {
    id: environment.id,
    name: environment.name,
    slug: environmentSlug(environment.name),
    external_url: null,
    state: 'available',
    tier: environment.tier,
    created_at: createdAt,
    // Nothing about an environment changes after it is created.
    updated_at: createdAt,
  };
}

/** GitLab's `Entities::ProtectedEnvironment`: the one stored rule, no approvals. */
export function presentProtectedEnvironment(rule: ProtectedEnvironment) {
  return {
    name: rule.name,
    deploy_access_levels: [
      {
        id: rule.id,
        access_level: rule.deployAccessLevel,
        access_level_description: describeDeployAccessLevel(rule.deployAccessLevel),
        user_id: null,
        group_id: null,
        group_inheritance_type: 0,
      },
    ],
    required_approval_count: 0,
    approval_rules: [],
  };
}
