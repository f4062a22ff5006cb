import type { CustomClaimDefinition } from './custom-claims-merge';
import { type ClaimOwner, type ClaimTree, describeError, levelsOf, replacementErrors } from './claim-tree';

const claim = (key: string, value: string, mutable = false): CustomClaimDefinition => ({ key, value, mutable });

/** acme (1) → acme/platform (2) → project acme/platform/app (10); acme/other (3) → project acme/other/web (11). */
function treeWith(claims: Record<string, CustomClaimDefinition[]>, names: ClaimTree['names'] = new Map()): ClaimTree {
  return {
    groups: new Map([
      [1, { id: 1, fullPath: 'acme', traversalIds: [1] }],
      [2, { id: 2, fullPath: 'acme/platform', traversalIds: [1, 2] }],
      [3, { id: 3, fullPath: 'acme/other', traversalIds: [1, 3] }],
    ]),
    projects: new Map([
      [10, { id: 10, fullPath: 'acme/platform/app', groupId: 2, namespaceIds: [1, 2] }],
      [11, { id: 11, fullPath: 'acme/other/web', groupId: 3, namespaceIds: [1, 3] }],
    ]),
    claims: new Map(Object.entries(claims)),
    names,
  };
}

const ROOT: ClaimOwner = { kind: 'group', id: 1 };
const PLATFORM: ClaimOwner = { kind: 'group', id: 2 };
const APP: ClaimOwner = { kind: 'project', id: 10 };

describe(replacementErrors.name, () => {
  it('builds the levels from the root group down to the project', () => {
    const tree = treeWith({ 'group:1': [claim('team', 'a')], 'project:10': [claim('service', 'b')] });
    expect(levelsOf(tree, APP)).toEqual([
      { kind: 'group', path: 'acme', claims: [claim('team', 'a')], namespaceIds: [1] },
      { kind: 'group', path: 'acme/platform', claims: [], namespaceIds: [1, 2] },
      { kind: 'project', path: 'acme/platform/app', claims: [claim('service', 'b')], namespaceIds: [1, 2] },
    ]);
  });

  describe('with owned claim names (`cost_centre` owned by group 99, `team` by acme)', () => {
    const names: ClaimTree['names'] = new Map([
      ['cost_centre', { name: 'cost_centre', owner: { id: 99, fullPath: 'finance' } }],
      ['team', { name: 'team', owner: { id: 1, fullPath: 'acme' } }],
    ]);
    const OWNED_ELSEWHERE = 'cost_centre is owned by group finance: only that group and the groups and projects below it may set it';

    it.each<[string, Record<string, CustomClaimDefinition[]>, ClaimOwner, CustomClaimDefinition[], string[]]>([
      ['a project below the owner', {}, APP, [claim('team', 'x')], []],
      ['a project outside the owner', {}, APP, [claim('cost_centre', 'x')], [OWNED_ELSEWHERE]],
      [
        'a project keeping a name stored before it was registered',
        { 'project:10': [claim('cost_centre', 'x')] },
        APP,
        [claim('cost_centre', 'x')],
        [OWNED_ELSEWHERE],
      ],
      [
        'a group change above a project storing such a name: not blamed on the group',
        { 'project:10': [claim('cost_centre', 'x')] },
        ROOT,
        [claim('tier', 'a', true)],
        [],
      ],
    ])('answers %s', (_title, stored, owner, next, messages) => {
      const tree = treeWith(stored, names);
      expect(replacementErrors(tree, owner, next).map((error) => error.message)).toEqual(messages);
    });
  });

  it.each<[string, Record<string, CustomClaimDefinition[]>, ClaimOwner, CustomClaimDefinition[], string[]]>([
    ['a project adding a claim', { 'group:1': [claim('team', 'a')] }, APP, [claim('service', 'x')], []],
    [
      'a project redefining a locked claim',
      { 'group:1': [claim('team', 'a')] },
      APP,
      [claim('team', 'x')],
      ['team is immutable: set by group acme'],
    ],
    [
      'a group locking a claim a project below redefines',
      { 'group:1': [claim('team', 'a', true)], 'project:10': [claim('team', 'x')] },
      ROOT,
      [claim('team', 'a')],
      ['team is immutable: set by group acme (conflicts with project acme/platform/app: change it there first)'],
    ],
    [
      'a subgroup locking a claim only a sibling branch defines',
      { 'project:11': [claim('team', 'x')] },
      PLATFORM,
      [claim('team', 'a')],
      [],
    ],
    [
      'an unrelated change above a level already in conflict (a moved project): not blamed on it',
      { 'group:1': [claim('team', 'a')], 'project:10': [claim('team', 'x')] },
      ROOT,
      [claim('team', 'a'), claim('tier', 'gold', true)],
      [],
    ],
  ])('answers %s', (_title, stored, owner, next, messages) => {
    const tree = treeWith(stored);
    const written = levelsOf(tree, owner).at(-1)!;
    expect(replacementErrors(tree, owner, next).map((error) => describeError(error, written))).toEqual(messages);
  });
});
