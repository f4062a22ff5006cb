import { AccessLevel } from './access-level';
import { DEPLOY_ACCESS_LEVELS, DeployAccessRule, Deployer, deployRuleAdmits, isProtectedFrom } from './deploy-access';
import { Membership } from './resolve-access';

// Tree: group 1 (root) → group 2 → project 100; group 7 (root) → group 8, unrelated to the project.
const group = (sourceId: number, accessLevel: AccessLevel): Membership => ({ sourceType: 'Namespace', sourceId, accessLevel });
const project = (accessLevel: AccessLevel): Membership => ({ sourceType: 'Project', sourceId: 100, accessLevel });
const deployer = (memberships: Membership[], admin = false): Deployer => ({
  userId: 5,
  admin,
  memberships,
  project: { projectId: 100, namespaceTraversalIds: [1, 2] },
});
const role = (accessLevel: 20 | 30 | 40 | 60): DeployAccessRule => ({ type: 'role', accessLevel });
const user = (userId: number): DeployAccessRule => ({ type: 'user', userId });
const directGroup = (...groupTraversalIds: number[]): DeployAccessRule => ({ type: 'group', groupTraversalIds, groupInheritanceType: 0 });
const inheritedGroup = (...groupTraversalIds: number[]): DeployAccessRule => ({
  type: 'group',
  groupTraversalIds,
  groupInheritanceType: 1,
});

describe(deployRuleAdmits.name, () => {
  it.each([
    ['a developer under developers+', role(30), deployer([project(AccessLevel.Developer)]), true],
    ['a developer under maintainers', role(40), deployer([project(AccessLevel.Developer)]), false],
    ['a maintainer under maintainers', role(40), deployer([project(AccessLevel.Maintainer)]), true],
    ['an owner under maintainers', role(40), deployer([project(AccessLevel.Owner)]), true],
    ['a reporter under reporters+', role(20), deployer([project(AccessLevel.Reporter)]), true],
    ['a maintainer through the parent group', role(40), deployer([group(2, AccessLevel.Maintainer)]), true],
    ['a maintainer through the root group', role(40), deployer([group(1, AccessLevel.Maintainer)]), true],
    [
      'the higher of a group role and a lower project role',
      role(40),
      deployer([group(1, AccessLevel.Owner), project(AccessLevel.Developer)]),
      true,
    ],
    ['a maintainer of an unrelated group', role(40), deployer([group(7, AccessLevel.Maintainer)]), false],
    ['an owner under the admin level', role(60), deployer([project(AccessLevel.Owner)]), false],
    ['an admin under the admin level', role(60), deployer([], true), true],
    ['an admin without membership under maintainers', role(40), deployer([], true), true],
    ['the named user', user(5), deployer([project(AccessLevel.Guest)]), true],
    ['another user', user(6), deployer([project(AccessLevel.Owner)]), false],
    ['a direct member of the named group', directGroup(7, 8), deployer([group(8, AccessLevel.Guest)]), true],
    ['a member of its parent only, direct rule', directGroup(7, 8), deployer([group(7, AccessLevel.Owner)]), false],
    ['a member of its parent, inheriting rule', inheritedGroup(7, 8), deployer([group(7, AccessLevel.Guest)]), true],
    ['a member of a subgroup of it, inheriting rule', inheritedGroup(7), deployer([group(8, AccessLevel.Owner)]), false],
    ['a project member, group rule', directGroup(7, 8), deployer([project(AccessLevel.Owner)]), false],
    ['no membership at all, role rule', role(30), deployer([]), false],
  ] as const)('%s → %s', (_case, rule, who, expected) => {
    expect(deployRuleAdmits(rule, who)).toBe(expected);
  });

  it('accepts exactly GitLab’s levels: reporter, developer, maintainer, admin', () => {
    expect(DEPLOY_ACCESS_LEVELS).toEqual([20, 30, 40, 60]);
  });
});

describe(isProtectedFrom.name, () => {
  const developer = deployer([project(AccessLevel.Developer)]);
  it.each([
    ['an unprotected environment', null, developer, false],
    ['an unprotected environment, no user', null, null, false],
    ['a protected environment, no user', [role(30)], null, true],
    ['maintainers only, a developer', [role(40)], developer, true],
    ['maintainers or this developer (any rule admits)', [role(40), user(5)], developer, false],
    ['admins only, a developer', [role(60)], developer, true],
    ['no rules left', [], developer, true],
  ] as const)('%s → %s', (_case, rules, who, expected) => {
    expect(isProtectedFrom(rules, who)).toBe(expected);
  });
});
