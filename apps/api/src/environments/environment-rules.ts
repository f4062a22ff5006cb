import type { DeployAccessLevel } from '@lanyard/access';

/** GitLab's `ProtectedEnvironments::Authorizable::HUMAN_ACCESS_LEVELS`, which has no text for reporters or admins. */
const DEPLOY_ACCESS_DESCRIPTIONS: Partial<Record<DeployAccessLevel, string>> = {
  30: 'Developers + Maintainers',
  40: 'Maintainers',
};

export function describeDeployAccessLevel(level: DeployAccessLevel): string | null {
  return DEPLOY_ACCESS_DESCRIPTIONS[level] ?? null;
}
