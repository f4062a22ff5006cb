import { RESERVED_CLAIM_NAMES } from '@lanyard/ci-config';
import fc from 'fast-check';
import { appendCustomClaims } from './custom-claims';
import { CUSTOM_CLAIM_LIMITS, CustomClaimError, type ClaimLevelKind, type CustomClaimLimit } from './custom-claim-rules';
import type { ClaimNameRegistry } from './claim-names';
import {
  type CustomClaimDefinition,
  type CustomClaimLevel,
  customClaimValues,
  jobClaimLevel,
  mergeCustomClaims,
} from './custom-claims-merge';

type Claim = readonly [key: string, value: unknown, mutable?: boolean];

/** acme is namespace 1, acme/platform namespace 2; the project and its jobs sit in acme/platform. */
const PLACES: Record<string, readonly number[]> = { acme: [1], 'acme/platform': [1, 2], 'acme/platform/app': [1, 2], deploy: [1, 2] };
const level = (kind: ClaimLevelKind, path: string, ...claims: Claim[]): CustomClaimLevel => ({
  kind,
  path,
  claims: claims.map(([key, value, mutable = false]) => ({ key, value, mutable })),
  namespaceIds: PLACES[path] ?? [9],
});
const NO_NAMES: ClaimNameRegistry = new Map();
const root = (...claims: Claim[]) => level('group', 'acme', ...claims);
const subgroup = (...claims: Claim[]) => level('group', 'acme/platform', ...claims);
const project = (...claims: Claim[]) => level('project', 'acme/platform/app', ...claims);
const job = (...claims: Claim[]) => level('job', 'deploy', ...claims);

function merged(levels: CustomClaimLevel[]) {
  const result = mergeCustomClaims(levels, NO_NAMES);
  if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.claims;
}

function errorsOf(levels: CustomClaimLevel[]): CustomClaimError[] {
  const result = mergeCustomClaims(levels, NO_NAMES);
  if (result.ok) throw new Error('expected the merge to fail');
  return [...result.errors];
}

const AWS_TAGS = { principal_tags: { team: ['platform'] }, transitive_tag_keys: ['team'] };

describe(mergeCustomClaims.name, () => {
  describe('merging', () => {
    it.each<[string, CustomClaimLevel[], Array<{ key: string; value: unknown; source: string; mutable: boolean }>]>([
      ['nothing', [], []],
      ['levels without claims', [root(), project(), job()], []],
      [
        'each level adding claims, in the order written',
        [
          root(['team', 'platform']),
          subgroup(['cost_centre', 'cc-42', true]),
          project(['service', 'billing']),
          job(['deploy_kind', ['blue', 'green']]),
        ],
        [
          { key: 'team', value: 'platform', source: 'group:acme', mutable: false },
          { key: 'cost_centre', value: 'cc-42', source: 'group:acme/platform', mutable: true },
          { key: 'service', value: 'billing', source: 'project:acme/platform/app', mutable: false },
          { key: 'deploy_kind', value: ['blue', 'green'], source: 'job:deploy', mutable: false },
        ],
      ],
      [
        'a mutable claim overridden below: first position, last value, the overrider as source',
        [root(['tier', 'bronze', true], ['team', 'platform']), project(['service', 'x'], ['tier', 'gold'])],
        [
          { key: 'tier', value: 'gold', source: 'project:acme/platform/app', mutable: false },
          { key: 'team', value: 'platform', source: 'group:acme', mutable: false },
          { key: 'service', value: 'x', source: 'project:acme/platform/app', mutable: false },
        ],
      ],
      [
        'a mutable claim overridden at every level, staying mutable',
        [root(['tier', 'a', true]), subgroup(['tier', 'b', true]), project(['tier', 'c', true]), job(['tier', 'd'])],
        [{ key: 'tier', value: 'd', source: 'job:deploy', mutable: false }],
      ],
      [
        'a URI key holding AWS session tags',
        [root(['https://aws.amazon.com/tags', AWS_TAGS])],
        [{ key: 'https://aws.amazon.com/tags', value: AWS_TAGS, source: 'group:acme', mutable: false }],
      ],
      [
        'a URI key holding a string or an array',
        [project(['https://example.com/claims/tier', 'gold'], ['https://example.com:8443/list?x=1#y', ['a']])],
        [
          { key: 'https://example.com/claims/tier', value: 'gold', source: 'project:acme/platform/app', mutable: false },
          { key: 'https://example.com:8443/list?x=1#y', value: ['a'], source: 'project:acme/platform/app', mutable: false },
        ],
      ],
      [
        'values kept literally: no variable expansion',
        [job(['branch', '$CI_COMMIT_REF_NAME'])],
        [{ key: 'branch', value: '$CI_COMMIT_REF_NAME', source: 'job:deploy', mutable: false }],
      ],
    ])('merges %s', (_title, levels, expected) => {
      expect(merged(levels)).toEqual(expected);
    });

    it('gives the token its claims in the merged order, as own properties', () => {
      const claims = merged([root(['tier', 'a', true], ['team', 'x']), project(['tier', 'b'])]);
      const values = customClaimValues(claims);
      expect(Object.entries(values)).toEqual([
        ['tier', 'b'],
        ['team', 'x'],
      ]);
    });
  });

  it("takes a job's jwt_claims as the last, immutable level", () => {
    expect(jobClaimLevel('deploy', { team: 'x', tier: ['a'] }, [1, 2])).toEqual(job(['team', 'x'], ['tier', ['a']]));
    expect(jobClaimLevel('deploy', null, [1, 2])).toEqual(job());
  });

  describe('immutability', () => {
    it.each<[string, CustomClaimLevel[], string]>([
      ['a subgroup', [root(['team', 'platform']), subgroup(['team', 'other'])], 'group acme/platform'],
      ['a project', [root(['team', 'platform']), project(['team', 'other'])], 'project acme/platform/app'],
      ['a job', [root(['team', 'platform']), job(['team', 'other'])], 'job deploy'],
      ['a job, two levels down', [root(['team', 'platform']), subgroup(), project(), job(['team', 'other'])], 'job deploy'],
      [
        'a project redefining it to the same value',
        [root(['team', 'platform']), project(['team', 'platform'])],
        'project acme/platform/app',
      ],
      ['a project redefining it as mutable', [root(['team', 'platform']), project(['team', 'x', true])], 'project acme/platform/app'],
    ])('refuses an immutable claim redefined by %s, naming the locking level', (_title, levels, where) => {
      const [error] = errorsOf(levels);
      expect(error).toBeInstanceOf(CustomClaimError);
      expect(error).toMatchObject({
        code: 'ERR_CUSTOM_CLAIM_LOCKED',
        claim: 'team',
        field: 'team',
        message: 'team is immutable: set by group acme',
        lockedBy: { kind: 'group', path: 'acme' },
      });
      expect(`${error.level.kind} ${error.level.path}`).toBe(where);
      expect(Object.keys(error.level)).toEqual(['kind', 'path']);
    });

    it('locks a claim at the level that made an inherited mutable claim immutable', () => {
      const [error] = errorsOf([root(['tier', 'a', true]), subgroup(['tier', 'b']), project(['tier', 'c'])]);
      expect(error).toMatchObject({
        message: 'tier is immutable: set by group acme/platform',
        lockedBy: { path: 'acme/platform' },
        level: { kind: 'project' },
      });
    });

    it('reports every problem, not only the first', () => {
      const errors = errorsOf([root(['team', 'a'], ['tier', 'b']), job(['team', 'x'], ['tier', 'y'], ['sub', 'z'])]);
      expect(errors.map((error) => [error.code, error.claim])).toEqual([
        ['ERR_CUSTOM_CLAIM_LOCKED', 'team'],
        ['ERR_CUSTOM_CLAIM_LOCKED', 'tier'],
        ['ERR_CUSTOM_CLAIM_RESERVED', 'sub'],
      ]);
    });
  });

  describe('reserved names', () => {
    const kinds: ClaimLevelKind[] = ['group', 'project', 'job'];
    it.each(RESERVED_CLAIM_NAMES.flatMap((name) => kinds.map((kind) => [name, kind] as const)))('refuses %s at %s level', (name, kind) => {
      const [error] = errorsOf([level(kind, 'x', [name, 'forged', true])]);
      expect(error).toMatchObject({ code: 'ERR_CUSTOM_CLAIM_RESERVED', claim: name, message: `${kind} x: reserved claim name: ${name}` });
    });

    it('refuses a __proto__ key coming from JSON without touching any prototype', () => {
      const [definition] = JSON.parse('[{"key":"__proto__","value":"x","mutable":false}]') as CustomClaimDefinition[];
      expect(errorsOf([{ kind: 'project', path: 'p', claims: [definition], namespaceIds: [9] }])[0]).toMatchObject({
        code: 'ERR_CUSTOM_CLAIM_RESERVED',
      });
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });

  describe('keys', () => {
    it.each([
      ['an upper-case name', 'Team'],
      ['a leading digit', '1team'],
      ['a dash', 'team-name'],
      ['a dot', 'a.b'],
      ['an empty name', ''],
      ['65 characters', 'a'.repeat(65)],
      ['a Cyrillic а in a short name', 'te\u0430m'],
      ['a Cyrillic о in a built-in', 'pr\u043eject_path'],
      ['a zero-width space', 'team\u200b'],
      ['a right-to-left override', 'team\u202e'],
      ['a Cyrillic а in a URI host', 'https://\u0430ws.amazon.com/tags'],
      ['a zero-width space in a URI', 'https://aws.amazon.com/tags\u200b'],
      ['an http URI', 'http://aws.amazon.com/tags'],
      ['a URN', 'urn:example:claim'],
      ['a URI without a host', 'https:///tags'],
      ['a URI with a space', 'https://example.com/a b'],
    ])('refuses %s', (_title, key) => {
      const [error] = errorsOf([project([key, 'x'])]);
      expect(error).toMatchObject({ code: 'ERR_CUSTOM_CLAIM_KEY_INVALID', claim: key });
      expect(error.message).toMatch(/^project acme\/platform\/app: invalid claim name: [\x20-\x7e]*\(use/);
    });

    it('refuses a name given twice at one level', () => {
      expect(errorsOf([project(['team', 'a'], ['team', 'b'])])[0]).toMatchObject({
        code: 'ERR_CUSTOM_CLAIM_DUPLICATE',
        message: 'project acme/platform/app: duplicate claim name: team',
      });
    });
  });

  describe('values', () => {
    it.each<[string, Claim]>([
      ['a number', ['team', 5]],
      ['a boolean', ['team', true]],
      ['null', ['team', null]],
      ['an array holding a number', ['team', ['a', 1]]],
      ['a nested array', ['team', [['a']]]],
      ['an object under a short name', ['team', { a: 'b' }]],
      ['an array of objects under a URI', ['https://example.com/x', [{ a: 'b' }]]],
      ['a number inside an object', ['https://example.com/x', { a: 1 }]],
      ['a line break', ['team', 'a\nb']],
      ['a right-to-left override', ['team', 'pay\u202eevil']],
      ['a zero-width space in an array entry', ['team', ['a', 'b\u200b']]],
      ['a bidi control in a nested value', ['https://example.com/x', { a: { b: ['c\u2066'] } }]],
      ['a bidi control in a nested key', ['https://example.com/x', { 'a\u202e': 'b' }]],
      ['a control character in a nested key', ['https://example.com/x', { a: { 'b\u0000': 'c' } }]],
      ['an empty nested key', ['https://example.com/x', { '': 'b' }]],
      ['a nested __proto__ key', ['https://example.com/x', JSON.parse('{"__proto__":{"polluted":"yes"}}')]],
      ['a nested constructor key', ['https://example.com/x', { constructor: 'x' }]],
      ['a Date', ['https://example.com/x', new Date(0)]],
    ])('refuses %s', (_title, claim) => {
      const [error] = errorsOf([root(claim)]);
      expect(error).toMatchObject({ code: 'ERR_CUSTOM_CLAIM_VALUE_INVALID', claim: claim[0] });
      expect(error.message).toMatch(/^group acme:[\x20-\x7e]+$/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('limits', () => {
    const { maxKeyLength, maxStringLength, maxArrayEntries, maxObjectDepth, maxValueBytes, maxClaimsPerLevel, maxTotalBytes } =
      CUSTOM_CLAIM_LIMITS;
    const uri = (length: number) => `https://example.com/${'a'.repeat(length - 'https://example.com/'.length)}`;
    const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });
    const many = (count: number, value = 'x'): Claim[] => Array.from({ length: count }, (_, i) => [`c${i}`, value]);
    // Claims of 1 KB each: just inside the per-value limit, so only the total is exceeded.
    const kilobyteClaims = (count: number, prefix: string): Claim[] =>
      Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'x'.repeat(1020)]);

    it.each<[CustomClaimLimit, CustomClaimLevel[], CustomClaimLevel[]]>([
      ['maxKeyLength', [project([uri(maxKeyLength), 'x'])], [project([uri(maxKeyLength + 1), 'x'])]],
      [
        'maxKeyLength',
        [root(['https://example.com/x', { [`k${'a'.repeat(maxKeyLength - 1)}`]: 'x' }])],
        [root(['https://example.com/x', { [`k${'a'.repeat(maxKeyLength)}`]: 'x' }])],
      ],
      ['maxStringLength', [project(['team', 'x'.repeat(maxStringLength)])], [project(['team', 'x'.repeat(maxStringLength + 1)])]],
      ['maxStringLength', [project(['team', ['x'.repeat(maxStringLength)]])], [project(['team', ['a', 'x'.repeat(maxStringLength + 1)]])]],
      ['maxArrayEntries', [project(['team', Array(maxArrayEntries).fill('x')])], [project(['team', Array(maxArrayEntries + 1).fill('x')])]],
      [
        'maxObjectDepth',
        [root(['https://example.com/x', nested(maxObjectDepth)])],
        [root(['https://example.com/x', nested(maxObjectDepth + 1)])],
      ],
      [
        'maxValueBytes',
        [root(['team', Array(4).fill('é'.repeat(maxValueBytes / 8 - 4))])],
        [root(['team', Array(5).fill('é'.repeat(maxValueBytes / 10))])],
      ],
      ['maxClaimsPerLevel', [job(...many(maxClaimsPerLevel))], [job(...many(maxClaimsPerLevel + 1))]],
      [
        'maxTotalBytes',
        [root(...kilobyteClaims(4, 'g')), project(...kilobyteClaims(3, 'p'))],
        [root(...kilobyteClaims(4, 'g')), project(...kilobyteClaims(4, 'p'))],
      ],
    ])('holds %s: at the limit merges, past it fails naming the limit', (limit, atLimit, pastLimit) => {
      expect(mergeCustomClaims(atLimit, NO_NAMES).ok).toBe(true);
      const errors = errorsOf(pastLimit);
      expect(errors.map((error) => [error.code, error.limit])).toContainEqual(['ERR_CUSTOM_CLAIM_LIMIT', limit]);
      expect(errors.find((error) => error.limit === limit)!.message).toContain(`${limit} limit (maximum is ${CUSTOM_CLAIM_LIMITS[limit]} `);
    });

    it('names the level that pushed the merged set over the total', () => {
      const error = errorsOf([
        root(...kilobyteClaims(4, 'g')),
        subgroup(...kilobyteClaims(3, 's')),
        project(['team', 'x'.repeat(1020)]),
      ])[0];
      expect(error).toMatchObject({ limit: 'maxTotalBytes', level: { kind: 'project' } });
      expect(maxTotalBytes).toBeLessThan(20_000);
    });

    it('lists every limit exactly', () => {
      expect(CUSTOM_CLAIM_LIMITS).toEqual({
        maxKeyLength: 256,
        maxStringLength: 1024,
        maxArrayEntries: 50,
        maxObjectDepth: 4,
        maxValueBytes: 4096,
        maxClaimsPerLevel: 50,
        maxTotalBytes: 8192,
      });
    });
  });

  describe('properties', () => {
    const BUILT_INS = {
      iss: 'https://lanyard',
      sub: 'project_path:a/b:ref_type:branch:ref:main',
      aud: 'vault',
      project_path: 'a/b',
      ref: 'main',
    };
    const VALID_KEYS = ['team', 'tier', 'https://aws.amazon.com/tags'];
    // Mostly valid names, so that redefinitions are common; else a reserved name or a look-alike (Cyrillic а, zero-width space).
    const key = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...VALID_KEYS) },
      { weight: 1, arbitrary: fc.constantFrom(...RESERVED_CLAIM_NAMES, 'te\u0430m', 'team\u200b') },
    );
    const value = fc.oneof(fc.constantFrom('a', 'platform', ''), fc.array(fc.constantFrom('a', 'b'), { maxLength: 3 }));
    const levels = fc.array(
      fc.record({
        kind: fc.constantFrom<ClaimLevelKind>('group', 'project', 'job'),
        path: fc.constantFrom('acme', 'acme/app', 'deploy'),
        claims: fc.array(fc.record({ key, value, mutable: fc.boolean() }), { maxLength: 3 }),
        namespaceIds: fc.constant([1]),
      }),
      { maxLength: 5 },
    );

    /** The rule stated as plainly as possible: the merged [key, value] pairs, or null when the input must be refused. */
    function model(input: readonly CustomClaimLevel[]): Array<[string, unknown]> | null {
      const values = new Map<string, { value: unknown; mutable: boolean }>();
      for (const each of input) {
        if (new Set(each.claims.map((claim) => claim.key)).size !== each.claims.length) return null;
        for (const claim of each.claims) {
          if (!VALID_KEYS.includes(claim.key) || values.get(claim.key)?.mutable === false) return null;
          values.set(claim.key, { value: claim.value, mutable: claim.mutable });
        }
      }
      return [...values].map(([key, { value }]) => [key, value]);
    }

    it('merges exactly as the plain statement of the rule: no reserved, look-alike or locked claim is ever replaced', () => {
      fc.assert(
        fc.property(levels, (input) => {
          const result = mergeCustomClaims(input, NO_NAMES);
          expect(result.ok ? result.claims.map((claim) => [claim.key, claim.value]) : null).toEqual(model(input));
        }),
        { numRuns: 1000 },
      );
    });

    it('never lets a merged set change a built-in claim of the token', () => {
      fc.assert(
        fc.property(levels, (input) => {
          const result = mergeCustomClaims(input, NO_NAMES);
          const token: Record<string, unknown> = result.ok ? appendCustomClaims(BUILT_INS, customClaimValues(result.claims)) : BUILT_INS;
          expect(Object.fromEntries(Object.keys(BUILT_INS).map((key) => [key, token[key]]))).toEqual(BUILT_INS);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
