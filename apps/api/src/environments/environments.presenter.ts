import type { DeployAccessLevelEntry } from './deploy-access-level.entity';
import type { Environment } from './environment.entity';
import { environmentSlug } from '@lanyard/pipelines';
import { describeDeployAccessLevel } from './environment-rules';
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

/** A deploy entry with the names GitLab shows for user and group entries. */
export type PresentableEntry = Pick<DeployAccessLevelEntry, 'id' | 'accessLevel' | 'userId' | 'groupId' | 'groupInheritanceType'> & {
  readonly userName: string | null;
  readonly groupName: string | null;
};

/** GitLab's `Entities::ProtectedEnvironment`: every deploy entry, no approvals. */
export function presentProtectedEnvironment(rule: ProtectedEnvironment, entries: readonly PresentableEntry[]) {
  return {
    name: rule.name,
    deploy_access_levels: entries.map((entry) => ({
      id: entry.id,
      access_level: entry.accessLevel,
      // GitLab's `humanize`: the user's or the group's name, else the role's description.
      access_level_description:
        entry.userName ?? entry.groupName ?? (entry.accessLevel === null ? null : describeDeployAccessLevel(entry.accessLevel)),
      user_id: entry.userId,
      group_id: entry.groupId,
      group_inheritance_type: entry.groupInheritanceType,
    })),
    required_approval_count: 0,
    approval_rules: [],
  };
}
