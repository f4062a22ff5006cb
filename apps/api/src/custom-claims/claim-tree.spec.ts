import type { CustomClaimDefinition } from '@lanyard/id-tokens';
import { type ClaimOwner, type ClaimTree, describeError, levelsOf, replacementErrors } from './claim-tree';

const claim = (key: string, value: string, mutable = false): CustomClaimDefinition => ({ key, value, mutable });

/** acme (1) → acme/platform (2) → project acme/platform/app (10); acme/other (3) → project acme/other/web (11). */
function treeWith(claims: Record<string, CustomClaimDefinition[]>): ClaimTree {
  return {
    groups: new Map([
      [1, { id: 1, fullPath: 'acme', traversalIds: [1] }],
      [2, { id: 2, fullPath: 'acme/platform', traversalIds: [1, 2] }],
      [3, { id: 3, fullPath: 'acme/other', traversalIds: [1, 3] }],
    ]),
    projects: new Map([
      [10, { id: 10, fullPath: 'acme/platform/app', groupId: 2 }],
      [11, { id: 11, fullPath: 'acme/other/web', groupId: 3 }],
    ]),
    claims: new Map(Object.entries(claims)),
  };
}

const ROOT: ClaimOwner = { kind: 'group', id: 1 };
const PLATFORM: ClaimOwner = { kind: 'group', id: 2 };
const APP: ClaimOwner = { kind: 'project', id: 10 };

describe(replacementErrors.name, () => {
  it('builds the levels from the root group down to the project', () => {
    const tree = treeWith({ 'group:1': [claim('team', 'a')], 'project:10': [claim('service', 'b')] });
    expect(levelsOf(tree, APP)).toEqual([
      { kind: 'group', path: 'acme', claims: [claim('team', 'a')] },
      { kind: 'group', path: 'acme/platform', claims: [] },
      { kind: 'project', path: 'acme/platform/app', claims: [claim('service', 'b')] },
    ]);
  });

  it.each<[string, Record<string, CustomClaimDefinition[]>, ClaimOwner, CustomClaimDefinition[], string[]]>([
    ['a project adding a claim', { 'group:1': [claim('team', 'a')] }, APP, [claim('service', 'x')], []],
    ['a project redefining a locked claim', { 'group:1': [claim('team', 'a')] }, APP, [claim('team', 'x')], ['team is immutable: set by group acme']],
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
