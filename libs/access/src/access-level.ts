/** GitLab's access levels; a member's role on a group applies to every subgroup and project below it. */
export enum AccessLevel {
  NoAccess = 0,
  Guest = 10,
  Reporter = 20,
  Developer = 30,
  Maintainer = 40,
  Owner = 50,
}

/** The levels a membership may hold (NoAccess is the absence of one). */
export const MEMBER_ACCESS_LEVELS = [
  AccessLevel.Guest,
  AccessLevel.Reporter,
  AccessLevel.Developer,
  AccessLevel.Maintainer,
  AccessLevel.Owner,
] as const;

export type MemberAccessLevel = (typeof MEMBER_ACCESS_LEVELS)[number];

const ROLE_NAMES: Record<MemberAccessLevel, string> = {
  [AccessLevel.Guest]: 'guest',
  [AccessLevel.Reporter]: 'reporter',
  [AccessLevel.Developer]: 'developer',
  [AccessLevel.Maintainer]: 'maintainer',
  [AccessLevel.Owner]: 'owner',
};

export function isMemberAccessLevel(value: unknown): value is MemberAccessLevel {
  return (MEMBER_ACCESS_LEVELS as readonly unknown[]).includes(value);
}

/** `guest` … `owner`, or null without membership (as the `user_access_level` claim). */
export function roleName(level: AccessLevel): string | null {
  return isMemberAccessLevel(level) ? ROLE_NAMES[level] : null;
}
