import { AccessLevel } from '@lanyard/access';

/** GitLab's levels for protected refs: no one, developers + maintainers, maintainers, admins. */
export const PROTECTION_LEVELS = [0, 30, 40, 60] as const;
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];
export const DEFAULT_PROTECTION_LEVEL: ProtectionLevel = 40;

/**
 * What a new default branch gets, GitLab's default "fully protected" (`Gitlab::Access::BranchProtection`
 * PROTECTION_FULL): maintainers push and merge, no one force-pushes, developers may not make the initial push.
 */
export const DEFAULT_BRANCH_PROTECTION = { pushAccessLevel: 40, mergeAccessLevel: 40, allowForcePush: false } as const;
const NO_ONE = 0;
const ADMINS = 60;

const DESCRIPTIONS: Record<ProtectionLevel, string> = {
  0: 'No one',
  30: 'Developers + Maintainers',
  40: 'Maintainers',
  60: 'Admins',
};

export function describeProtectionLevel(level: ProtectionLevel): string {
  return DESCRIPTIONS[level] ?? String(level);
}

export interface RefActor {
  readonly level: AccessLevel;
  readonly admin: boolean;
}

/** As GitLab's ProtectedRefAccess#check_access: "no one" is no one, even an admin. */
export function protectionAllows(required: ProtectionLevel, actor: RefActor): boolean {
  if (required === NO_ONE) return false;
  if (required === ADMINS) return actor.admin;
  return actor.admin || actor.level >= required;
}
