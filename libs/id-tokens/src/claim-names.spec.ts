import {
  AWS_SESSION_TAGS_CLAIM,
  type ClaimNameRegistry,
  claimNamesOf,
  claimNamesToLookUp,
  openClaimNameWarnings,
  unownedClaimMessage,
  unownedClaimName,
} from './claim-names';
import { type CustomClaimLevel, jobClaimLevel, mergeCustomClaims } from './custom-claims-merge';

const ACME = { id: 1, fullPath: 'acme' };
/** `team` belongs to acme (namespace 1), `cost_centre` is open, anything else unregistered. */
const REGISTRY: ClaimNameRegistry = new Map([
  ['team', { name: 'team', owner: ACME }],
  ['cost_centre', { name: 'cost_centre', owner: null }],
]);
const tags = (principal: Record<string, string[]>) => ({ principal_tags: principal, transitive_tag_keys: Object.keys(principal) });

describe(claimNamesOf.name, () => {
  it.each<[string, unknown, string[]]>([
    ['team', 'platform', ['team']],
    ['team', { principal_tags: { x: ['y'] } }, ['team']],
    [AWS_SESSION_TAGS_CLAIM, tags({ Team: ['platform'], cost_centre: ['42'] }), [AWS_SESSION_TAGS_CLAIM, 'team', 'cost_centre']],
    [AWS_SESSION_TAGS_CLAIM, { transitive_tag_keys: ['team'] }, [AWS_SESSION_TAGS_CLAIM]],
    [AWS_SESSION_TAGS_CLAIM, { principal_tags: ['team'] }, [AWS_SESSION_TAGS_CLAIM]],
    [AWS_SESSION_TAGS_CLAIM, 'team', [AWS_SESSION_TAGS_CLAIM]],
    [AWS_SESSION_TAGS_CLAIM, null, [AWS_SESSION_TAGS_CLAIM]],
  ])('names %p = %p as %p', (key, value, names) => {
    expect(claimNamesOf(key, value)).toEqual(names);
  });

  it('looks each name up once', () => {
    expect(
      claimNamesToLookUp([
        { key: 'team', value: 'a' },
        { key: AWS_SESSION_TAGS_CLAIM, value: tags({ TEAM: ['a'] }) },
      ]),
    ).toEqual(['team', AWS_SESSION_TAGS_CLAIM]);
  });
});

describe(unownedClaimName.name, () => {
  it.each<[string, unknown, number[], string | null]>([
    ['team', 'platform', [1], null],
    ['team', 'platform', [1, 7, 8], null],
    ['team', 'platform', [2], 'team'],
    ['team', 'platform', [2, 1], null],
    ['cost_centre', '42', [2], null],
    ['service', 'billing', [2], null],
    [AWS_SESSION_TAGS_CLAIM, tags({ service: ['a'], TEAM: ['platform'] }), [2], 'team'],
    [AWS_SESSION_TAGS_CLAIM, tags({ service: ['a'], TEAM: ['platform'] }), [1], null],
    ['team', 'platform', [], 'team'],
  ])('%p = %p written at %p: unowned %p', (key, value, at, unowned) => {
    expect(unownedClaimName(key, value, at, REGISTRY)?.name ?? null).toBe(unowned);
  });

  it('keeps a name whose owner was deleted from everyone (no namespace has that id any more)', () => {
    const orphaned: ClaimNameRegistry = new Map([['team', { name: 'team', owner: { id: 404, fullPath: 'acme' } }]]);
    expect(unownedClaimName('team', 'x', [1, 2, 3], orphaned)).toEqual({ name: 'team', owner: { id: 404, fullPath: 'acme' } });
  });

  it('says who owns the name, and which session tag asserted it', () => {
    expect(unownedClaimMessage('team', { name: 'team', owner: ACME })).toBe(
      'team is owned by group acme: only that group and the groups and projects below it may set it',
    );
    expect(unownedClaimMessage(AWS_SESSION_TAGS_CLAIM, { name: 'team', owner: ACME })).toBe(
      `${AWS_SESSION_TAGS_CLAIM} session tag team is owned by group acme: only that group and the groups and projects below it may set it`,
    );
  });
});

describe(openClaimNameWarnings.name, () => {
  const bind = 'a relying party that trusts it must also bind namespace_id or project_id';

  it('warns about open and unregistered names, never owned ones, and about session tags but not their container', () => {
    expect(openClaimNameWarnings('jobs:x:jwt_claims', 'team', 'a', REGISTRY)).toEqual([]);
    expect(openClaimNameWarnings('jobs:x:jwt_claims', 'cost_centre', 'a', REGISTRY)).toEqual([
      `jobs:x:jwt_claims cost_centre is open to every project: ${bind}`,
    ]);
    expect(openClaimNameWarnings('jobs:x:jwt_claims', 'service', 'a', REGISTRY)).toEqual([
      `jobs:x:jwt_claims service is not a registered claim name, so any project can set it: ${bind}`,
    ]);
    expect(openClaimNameWarnings('claims', AWS_SESSION_TAGS_CLAIM, tags({ team: ['a'], Service: ['b'] }), REGISTRY)).toEqual([
      `claims service is not a registered claim name, so any project can set it: ${bind}`,
    ]);
  });
});

describe('mergeCustomClaims with the name registry', () => {
  const level = (
    kind: CustomClaimLevel['kind'],
    path: string,
    namespaceIds: number[],
    key: string,
    value: unknown,
    mutable = false,
  ): CustomClaimLevel => ({
    kind,
    path,
    namespaceIds,
    claims: [{ key, value, mutable }],
  });

  it.each<[string, CustomClaimLevel[]]>([
    ['the owner group', [level('group', 'acme', [1], 'team', 'platform')]],
    ['a subgroup of the owner', [level('group', 'acme/platform', [1, 2], 'team', 'platform')]],
    ['a project below the owner', [level('project', 'acme/platform/app', [1, 2], 'team', 'platform')]],
    ['a job whose code comes from below the owner', [jobClaimLevel('deploy', { team: 'platform' }, [1, 2])]],
    ['session tags below the owner', [level('project', 'acme/app', [1], AWS_SESSION_TAGS_CLAIM, tags({ Team: ['platform'] }))]],
    ['an open name anywhere', [level('project', 'bob/app', [5], 'cost_centre', '42')]],
    ['an unregistered name anywhere', [level('project', 'bob/app', [5], 'service', 'x')]],
  ])('lets %s set it', (_, levels) => {
    expect(mergeCustomClaims(levels, REGISTRY).ok).toBe(true);
  });

  it.each<[string, CustomClaimLevel[], string]>([
    ['a top-level group of its own', [level('group', 'evil', [5], 'team', 'platform')], 'group'],
    ['a project in a personal namespace', [level('project', 'bob/app', [5], 'team', 'platform')], 'project'],
    ['a job of such a project', [jobClaimLevel('deploy', { team: 'platform' }, [5])], 'job'],
    [
      'a fork outside the owner, in a pipeline running in the owner',
      [level('group', 'acme', [1], 'service', 'x', true), jobClaimLevel('deploy', { team: 'x' }, [5])],
      'job',
    ],
    ['session tags outside the owner', [level('project', 'bob/app', [5], AWS_SESSION_TAGS_CLAIM, tags({ TEAM: ['platform'] }))], 'project'],
  ])('refuses %s, naming the owner and the level', (_, levels, kind) => {
    const result = mergeCustomClaims(levels, REGISTRY);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 'ERR_CUSTOM_CLAIM_NOT_OWNED', level: { kind } });
    expect(result.errors[0].message).toContain(
      'team is owned by group acme: only that group and the groups and projects below it may set it',
    );
  });

  it('reports a reserved or malformed name as such first, and an owned name before a lock', () => {
    const reserved = mergeCustomClaims([level('project', 'bob/app', [5], 'groups', ['system:masters'])], REGISTRY);
    expect(reserved.ok || reserved.errors.map((error) => error.code)).toEqual(['ERR_CUSTOM_CLAIM_RESERVED']);
    const locked = mergeCustomClaims(
      [level('group', 'acme', [1], 'team', 'platform'), jobClaimLevel('deploy', { team: 'x' }, [5])],
      REGISTRY,
    );
    expect(locked.ok || locked.errors.map((error) => error.code)).toEqual(['ERR_CUSTOM_CLAIM_NOT_OWNED']);
  });
});
