import { AccessLevel, MEMBER_ACCESS_LEVELS, decideAccess, groupsAtLevel, isMemberAccessLevel, resolveAccessLevel, roleName } from '../src';
import type { Membership } from '../src';

const group = (sourceId: number, accessLevel: AccessLevel): Membership => ({ sourceType: 'Namespace', sourceId, accessLevel });
const project = (sourceId: number, accessLevel: AccessLevel): Membership => ({ sourceType: 'Project', sourceId, accessLevel });

describe(resolveAccessLevel.name, () => {
  // Tree: 1 (root group) → 2 (subgroup) → 3 (sub-subgroup); project 100 lives in 3, project 200 in 9.
  const projectIn3 = { projectId: 100, namespaceTraversalIds: [1, 2, 3] };

  it.each([
    ['no membership', [], AccessLevel.NoAccess],
    ['direct project membership', [project(100, AccessLevel.Developer)], AccessLevel.Developer],
    ['membership of the root group', [group(1, AccessLevel.Reporter)], AccessLevel.Reporter],
    ['membership of the parent group', [group(3, AccessLevel.Maintainer)], AccessLevel.Maintainer],
    ['the highest of inherited and direct', [group(1, AccessLevel.Owner), project(100, AccessLevel.Guest)], AccessLevel.Owner],
    ['a direct role above the inherited one', [group(1, AccessLevel.Guest), project(100, AccessLevel.Maintainer)], AccessLevel.Maintainer],
    ['another project only', [project(200, AccessLevel.Owner)], AccessLevel.NoAccess],
    ['an unrelated group only', [group(9, AccessLevel.Owner)], AccessLevel.NoAccess],
    ['a project id equal to a group id', [project(3, AccessLevel.Owner)], AccessLevel.NoAccess],
  ])('resolves %s', (_case, memberships, expected) => {
    expect(resolveAccessLevel(memberships as Membership[], projectIn3)).toBe(expected);
  });

  it('resolves a group target from its ancestors only, never from projects', () => {
    const subgroup = { namespaceTraversalIds: [1, 2] };
    expect(resolveAccessLevel([group(1, AccessLevel.Developer)], subgroup)).toBe(AccessLevel.Developer);
    expect(resolveAccessLevel([group(3, AccessLevel.Owner)], subgroup)).toBe(AccessLevel.NoAccess);
    expect(resolveAccessLevel([project(2, AccessLevel.Owner)], subgroup)).toBe(AccessLevel.NoAccess);
  });
});

describe(groupsAtLevel.name, () => {
  // Tree: 1 (root group) → 2 (subgroup) → 3 (sub-subgroup).
  it.each([
    ['no membership', [], []],
    ['owner of the root: every group below', [group(1, AccessLevel.Owner)], [1, 2, 3]],
    ['owner of the subgroup only: not the root above it', [group(2, AccessLevel.Owner)], [2, 3]],
    ['maintainer of the root, owner of the sub-subgroup', [group(1, AccessLevel.Maintainer), group(3, AccessLevel.Owner)], [3]],
    ['maintainer everywhere', [group(1, AccessLevel.Maintainer)], []],
    ['owner of a project in the tree (a project role never reaches a group)', [project(3, AccessLevel.Owner)], []],
    ['owner of an unrelated group', [group(9, AccessLevel.Owner)], []],
  ])('finds the owned groups for %s', (_case, memberships, expected) => {
    expect(groupsAtLevel(memberships as Membership[], [1, 2, 3], AccessLevel.Owner)).toEqual(expected);
  });
});

describe(decideAccess.name, () => {
  it.each([
    // level, admin, visibility, required, decision
    [AccessLevel.NoAccess, false, 'private', AccessLevel.NoAccess, 'not_found'],
    [AccessLevel.NoAccess, false, 'internal', AccessLevel.NoAccess, 'allow'],
    [AccessLevel.NoAccess, false, 'public', AccessLevel.NoAccess, 'allow'],
    [AccessLevel.NoAccess, false, 'public', AccessLevel.Guest, 'forbidden'],
    [AccessLevel.Guest, false, 'private', AccessLevel.NoAccess, 'allow'],
    [AccessLevel.Developer, false, 'private', AccessLevel.Maintainer, 'forbidden'],
    [AccessLevel.Maintainer, false, 'private', AccessLevel.Maintainer, 'allow'],
    [AccessLevel.Maintainer, false, 'private', AccessLevel.Owner, 'forbidden'],
    [AccessLevel.Owner, false, 'private', AccessLevel.Owner, 'allow'],
    [AccessLevel.NoAccess, true, 'private', AccessLevel.Owner, 'allow'],
  ] as const)('level %i, admin %s, %s, requiring %i → %s', (level, admin, visibility, required, decision) => {
    expect(decideAccess({ level, admin, visibility, required })).toBe(decision);
  });
});

describe(roleName.name, () => {
  it('names exactly the five member levels', () => {
    expect(MEMBER_ACCESS_LEVELS.map(roleName)).toEqual(['guest', 'reporter', 'developer', 'maintainer', 'owner']);
    expect(roleName(AccessLevel.NoAccess)).toBeNull();
  });

  it.each([
    [10, true],
    [50, true],
    [0, false],
    [15, false],
    [60, false],
    ['30', false],
    [null, false],
  ])('isMemberAccessLevel(%p) is %s', (value, expected) => expect(isMemberAccessLevel(value)).toBe(expected));
});
