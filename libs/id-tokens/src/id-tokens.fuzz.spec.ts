import { RESERVED_CLAIM_NAMES } from '@lanyard/ci-config';
import fc from 'fast-check';
import { audienceSecretReferences, expandAudience } from './audience';
import { appendCustomClaims } from './custom-claims';
import type { ClaimLevelKind } from './custom-claim-rules';
import { type CustomClaimLevel, customClaimValues, mergeCustomClaims } from './custom-claims-merge';
import { IdTokenError } from './errors';
import {
  SUB_CLAIM_COMPONENTS,
  type SubClaimComponent,
  type SubClaimValues,
  composeSubClaim,
  validateSubClaimComponents,
} from './sub-claim';

/** Issue 19: the id-token rules hold for any input, not only the cases written down. */

/** Text rich in what escaping must get right: the separator, the escape character and what an escape looks like. */
const tricky = fc.string({ unit: fc.constantFrom(':', '%', '3', 'A', '2', '5', 'a', 'é', '\u0000'), maxLength: 8 });

/** A valid component list: a leading component, then others, accepted by the same check the API runs. */
const components = fc
  .tuple(
    fc.constantFrom<SubClaimComponent>('project_path', 'project_id', 'job_project_path', 'job_project_id'),
    fc.shuffledSubarray([...SUB_CLAIM_COMPONENTS], { maxLength: 6 }),
  )
  .map(([lead, rest]) => [lead, ...rest.filter((name) => name !== lead)])
  .filter((list) => validateSubClaimComponents(list).length === 0);
const values = fc.dictionary(fc.constantFrom(...SUB_CLAIM_COMPONENTS), fc.option(tricky), { maxKeys: 13 }) as fc.Arbitrary<SubClaimValues>;

/** The pairs a `sub` states: what two subjects must differ in when their text differs, and only then. */
const stated = (list: readonly SubClaimComponent[], claims: SubClaimValues) =>
  list.flatMap((name) => (claims[name] === undefined || claims[name] === null ? [] : [[name, claims[name]]]));

/** Reads a `sub` back: a decoder that recovers every input is the proof that no two inputs share a `sub`. */
function decodeSub(sub: string): string[][] {
  if (sub === '') return [];
  const parts = sub.split(':');
  const pairs: string[][] = [];
  for (let i = 0; i < parts.length; i += 2) pairs.push([parts[i], parts[i + 1].replace(/%3A|%25/g, (m) => (m === '%3A' ? ':' : '%'))]);
  return pairs;
}

function composed(list: readonly SubClaimComponent[], claims: SubClaimValues): string | null {
  try {
    return composeSubClaim(list, claims);
  } catch (error) {
    expect(error).toMatchObject({ code: 'ERR_SUB_TOO_LONG' });
    return null;
  }
}

describe('sub composition (fuzz)', () => {
  it('is injective: every sub decodes back to exactly the component values it was made of', () => {
    fc.assert(
      fc.property(components, values, (list, claims) => {
        const sub = composed(list, claims);
        if (sub !== null) expect(decodeSub(sub)).toEqual(stated(list, claims));
      }),
      { numRuns: 3000 },
    );
  });

  it('never gives one sub to two different component value lists, even ones one ":" apart', () => {
    // A colon moved from one value to the next is the classic forgery (`ref: "main:x"` against `ref: main`).
    const neighbours = fc.tuple(components, values, fc.nat(), fc.nat()).map(([list, claims, from, to]) => {
      const names = list.filter((name) => typeof claims[name] === 'string');
      const moved: Record<string, string | null | undefined> = { ...claims };
      if (names.length >= 2) {
        const [a, b] = [names[from % names.length], names[to % names.length]];
        moved[a] = `${claims[a]}:${b}`;
        moved[b] = (claims[b] as string).slice(1);
      }
      return { list, claims, moved: moved as SubClaimValues };
    });
    const pairs = fc.oneof(
      neighbours.map(({ list, claims, moved }) => [list, claims, list, moved] as const),
      fc.tuple(components, values, components, values),
    );
    fc.assert(
      fc.property(pairs, ([list, claims, otherList, otherClaims]) => {
        const sub = composed(list, claims);
        if (sub !== null && sub === composed(otherList, otherClaims)) expect(stated(otherList, otherClaims)).toEqual(stated(list, claims));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('custom claims (fuzz)', () => {
  const BUILT_INS = {
    iss: 'https://lanyard',
    sub: 'project_path:a/b',
    aud: 'vault',
    project_path: 'a/b',
    ref: 'main',
    ref_protected: 'true',
  };
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('team', 'tier', 'https://aws.amazon.com/tags') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...RESERVED_CLAIM_NAMES, '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
    },
    { weight: 1, arbitrary: fc.constantFrom('te\u0430m', 'team\u200b', 'Team', 'pr\u043eject_path', 'ref ', ' sub', 'SUB') },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  const value = fc.oneof(fc.constantFrom('a', 'x'), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom({ __proto__: { polluted: 1 } }));
  const levels = fc.array(
    fc.record({
      kind: fc.constantFrom<ClaimLevelKind>('group', 'project', 'job'),
      path: fc.constantFrom('acme', 'acme/app', 'deploy'),
      claims: fc.array(fc.record({ key, value, mutable: fc.boolean() }), { maxLength: 4 }),
      namespaceIds: fc.constant([1]),
    }),
    { maxLength: 5 },
  );

  it('never lets any input replace a built-in claim, a locked claim or a prototype', () => {
    fc.assert(
      fc.property(levels, (input: CustomClaimLevel[]) => {
        const result = mergeCustomClaims(input, new Map());
        if (result.ok) {
          const token: Record<string, unknown> = appendCustomClaims(BUILT_INS, customClaimValues(result.claims));
          for (const [name, builtIn] of Object.entries(BUILT_INS)) expect(token[name]).toBe(builtIn);
          // The first immutable definition of a key is the value the token carries.
          for (const claim of result.claims) {
            const definitions = input.flatMap((level) => level.claims.filter((each) => each.key === claim.key));
            const locking = definitions.findIndex((each) => !each.mutable);
            if (locking >= 0) expect(claim.value).toEqual(definitions[locking].value);
            expect(RESERVED_CLAIM_NAMES).not.toContain(claim.key);
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses, at minting, any hand-built set that names a built-in claim', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (custom) => {
        let token: Record<string, unknown> = BUILT_INS;
        try {
          token = appendCustomClaims(BUILT_INS, custom as never);
        } catch (error) {
          expect(error).toBeInstanceOf(IdTokenError);
        }
        for (const [name, builtIn] of Object.entries(BUILT_INS)) expect(token[name]).toBe(builtIn);
        expect(Object.getPrototypeOf(token)).toBe(Object.prototype);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('aud expansion (fuzz)', () => {
  const NAMES = ['AUD', 'HOST', 'CI_JOB_TOKEN', 'MASKED', 'EMPTY'];
  const SECRETS = ['glcbt-secret-job-token', 's3cr3t', 'glrt-runner'];
  const reference = fc.constantFrom(...NAMES).chain((name) => fc.constantFrom(`$${name}`, `\${${name}}`, `%${name}%`));
  const entry = fc
    .array(fc.oneof(reference, fc.constantFrom('https://', 'vault', ':', '$', '%', '${', ''), fc.string({ maxLength: 3 })), {
      maxLength: 5,
    })
    .map((parts) => parts.join(''));
  const variables = fc
    .dictionary(fc.constantFrom(...NAMES), fc.oneof(fc.constantFrom(...SECRETS, 'vault.example.com', ''), entry), { maxKeys: 5 })
    .map((record) => new Map(Object.entries(record)));

  it('ends, and never lets a secret, wherever it sits, into an audience', () => {
    fc.assert(
      fc.property(fc.oneof(entry, fc.array(entry, { maxLength: 3 })), variables, fc.subarray(SECRETS), (aud, vars, secrets) => {
        try {
          const expanded = expandAudience(aud, vars, 'TOKEN', secrets);
          for (const value of [expanded].flat()) for (const secret of secrets) expect(value).not.toContain(secret);
        } catch (error) {
          expect(error).toBeInstanceOf(IdTokenError);
          expect((error as IdTokenError).message).not.toMatch(/glcbt-|s3cr3t|glrt-/);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a secret through any chain of variables, cycles included, and ends', () => {
    // References kept apart by '/' and literals without `$`, `%` or braces: the names each value uses are known here.
    const uses = fc.array(fc.constantFrom(...NAMES), { maxLength: 3 });
    const written = (names: string[], literal: string) =>
      names.map((name, i) => [`$${name}`, `\${${name}}`, `%${name}%`][i % 3] + '/').join('') + literal;
    const literal = fc.string({ unit: fc.constantFrom('a', '/', ':', '.'), maxLength: 3 });
    const graph = fc.dictionary(fc.constantFrom(...NAMES), fc.array(fc.tuple(uses, literal), { maxLength: 2 }), { maxKeys: 5 });
    fc.assert(
      fc.property(uses, literal, graph, (audNames, audLiteral, definitions) => {
        const values = new Map(
          Object.entries(definitions).map(([name, list]) => [name, list.map(([names, text]) => written(names, text))]),
        );
        const found = audienceSecretReferences(written(audNames, audLiteral), { values, maskedNames: new Set(['MASKED']) });
        const reached = new Set<string>();
        const pending = [...audNames];
        while (pending.length > 0) {
          const name = pending.pop()!;
          if (reached.has(name)) continue;
          reached.add(name);
          for (const [names] of definitions[name] ?? []) pending.push(...names);
        }
        expect(found.sort()).toEqual(['CI_JOB_TOKEN', 'MASKED'].filter((secret) => reached.has(secret)));
      }),
      { numRuns: 3000 },
    );
  });
});
