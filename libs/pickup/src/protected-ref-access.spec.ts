import type { ProtectionRule } from '@lanyard/git-refs';
import { FORK_MR, SNAPSHOT } from './__fixtures__/snapshots';
import type { JobSnapshot } from './job-snapshot';
import { protectedRefAccessRevoked } from './protected-ref-access';

const MAINTAINERS: ProtectionRule = { name: 'main', pushAccessLevel: 40, mergeAccessLevel: 40 };
const DEVELOPERS_MERGE: ProtectionRule = { name: 'main', pushAccessLevel: 40, mergeAccessLevel: 30 };
const NO_ONE: ProtectionRule = { name: 'main', pushAccessLevel: 0, mergeAccessLevel: 0 };
/** alice is a developer of acme (namespace 1), and a maintainer of project 10 unless the memberships say otherwise. */
const as = (memberships: JobSnapshot['tokenFacts']['memberships'], rules: ProtectionRule[], admin = false): JobSnapshot => ({
  ...SNAPSHOT,
  user: { ...SNAPSHOT.user!, admin },
  protectionRules: rules,
  tokenFacts: { ...SNAPSHOT.tokenFacts, memberships },
});
const MAINTAINER = [{ sourceType: 'Project' as const, sourceId: 10, accessLevel: 40 as const }];
const DEVELOPER_THROUGH_GROUP = [{ sourceType: 'Namespace' as const, sourceId: 1, accessLevel: 30 as const }];

describe(protectedRefAccessRevoked.name, () => {
  it.each<[string, JobSnapshot, boolean]>([
    ['a maintainer on a maintainers-only main', as(MAINTAINER, [MAINTAINERS]), false],
    ['a developer (through the group) where developers may merge', as(DEVELOPER_THROUGH_GROUP, [DEVELOPERS_MERGE]), false],
    ['a developer on a maintainers-only main', as(DEVELOPER_THROUGH_GROUP, [MAINTAINERS]), true],
    ['a user removed from the project and its groups', as([], [MAINTAINERS]), true],
    ['a membership on another project only', as([{ sourceType: 'Project', sourceId: 99, accessLevel: 50 }], [MAINTAINERS]), true],
    ['an admin who is no member', as([], [MAINTAINERS], true), false],
    ['a main no one may push to or merge into, even an admin', as(MAINTAINER, [NO_ONE], true), true],
    ['a developer once the ref is no longer protected (no rule left)', as(DEVELOPER_THROUGH_GROUP, []), false],
    ['a guest once the ref is no longer protected', as([{ sourceType: 'Project', sourceId: 10, accessLevel: 10 }], []), true],
    [
      'a job created on an unprotected ref, whoever its user is now',
      { ...as([], [MAINTAINERS]), build: { ...SNAPSHOT.build, protected: false } },
      false,
    ],
    ['a fork merge-request pipeline (never protected)', FORK_MR, false],
    ['a protected job without a user', { ...SNAPSHOT, user: null }, true],
  ])('%s: %p', (_title, snapshot, revoked) => {
    expect(protectedRefAccessRevoked(snapshot)).toBe(revoked);
  });
});
