import { checkClaimValue, parseJwtClaims } from './jwt-claims-entry';
import { parseCiConfig } from './index';
import type { CiConfigResult } from './index';

const lint = (claims: string): CiConfigResult => parseCiConfig(`deploy: {script: x, jwt_claims: ${claims}}`, { optInJwt: true });
const claimsOf = (claims: string): CiConfigResult['jobs'][number]['jwtClaims'] => {
  const result = lint(claims);
  expect(result.errors).toEqual([]);
  return result.jobs[0].jwtClaims;
};
const errorsOf = (claims: string): string[] => lint(claims).errors;
const AT = 'jobs:deploy:jwt_claims';

describe(parseJwtClaims.name, () => {
  it('reads a map', () => {
    expect(claimsOf('{team: platform, cost_center: "012345", regions: [eu, us], empty: "", none: []}')).toEqual({
      team: 'platform',
      cost_center: '012345',
      regions: ['eu', 'us'],
      empty: '',
      none: [],
    });
  });

  it('reads a list of one-key maps, in order', () => {
    const claims = claimsOf('[{team: platform}, {"https://aws.amazon.com/tags": [a, b]}, {"https://example.com/tier": gold}]');
    expect(claims).toEqual({ team: 'platform', 'https://aws.amazon.com/tags': ['a', 'b'], 'https://example.com/tier': 'gold' });
    expect(Object.keys(claims ?? {})).toEqual(['team', 'https://aws.amazon.com/tags', 'https://example.com/tier']);
  });

  it('has no claims unless set', () => {
    expect(parseCiConfig('deploy: {script: x}', { optInJwt: true }).jobs[0].jwtClaims).toBeNull();
    expect(claimsOf('{}')).toEqual({});
  });

  it.each([
    ['a string', 'team'],
    ['a number', '5'],
    ['a list with a string', '[team]'],
    ['a list with a two-key map', '[{team: a, tier: b}]'],
    ['a list with an empty map', '[{}]'],
  ])('rejects jwt_claims given as %s', (_case, claims) => {
    expect(errorsOf(claims)).toEqual([`${AT} config should be a hash or an array of single-key hashes`]);
  });

  it('rejects a claim named twice in the list form', () => {
    expect(errorsOf('[{team: a}, {team: b}]')).toEqual([`${AT} duplicate claim name: team`]);
  });

  it.each(['sub', 'iss', 'aud', 'project_path', 'ref_protected', 'job_project_id', 'environment', '__proto__', 'constructor', 'prototype'])(
    'rejects the reserved claim name %s (A10)',
    (name) => {
      expect(errorsOf(`{${name}: x}`)).toEqual([`${AT} reserved claim name: ${name}`]);
    },
  );

  it.each([
    ['upper case', 'Team'],
    ['a leading digit', '1team'],
    ['a dash', 'team-name'],
    ['a dot', 'a.b'],
    ['a dollar', '$x'],
    ['a Cyrillic o', 'pr\u043eject_path'],
    ['65 characters', 'a'.repeat(65)],
    ['a URI with a space', '"https://example.com/a b"'],
    ['a URI over 256 characters', `https://example.com/${'a'.repeat(237)}`],
    ['a URI with a non-ASCII character', 'https://exämple.com/tags'],
    ['a URN (only https URIs name an owner)', 'urn:example:claim'],
    ['an http URI', 'http://example.com/tags'],
    ['a URI without a host', 'https:///tags'],
  ])('rejects a claim name with %s', (_case, name) => {
    const shown = name.startsWith('"') ? name.slice(1, -1) : name;
    expect(errorsOf(`{${name}: x}`)).toEqual([
      `${AT} invalid claim name: ${shown} (use ^[a-z][a-z0-9_]{0,63}$ or an absolute https:// URI)`,
    ]);
  });

  it.each([
    ['64 characters', 'a'.repeat(64)],
    ['digits and underscores', 'team_2'],
    ['an https URI', 'https://aws.amazon.com/tags'],
    ['an https URI with a port, query and fragment', 'https://example.com:8443/a?b=c#d'],
    ['a URI of 256 characters', `https://example.com/${'a'.repeat(236)}`],
  ])('accepts a claim name with %s', (_case, name) => {
    expect(Object.keys(claimsOf(`{${name}: x}`) ?? {})).toEqual([name]);
  });

  const QUOTE = (name: string): string => `${AT}:${name} claim values must be strings (quote them)`;
  it.each([
    ['an octal-looking number', '012345'],
    ['YAML 1.1 yes', 'yes'],
    ['an exponent', '1e3'],
    ['a float', '1.5'],
    ['true', 'true'],
    ['null', 'null'],
    ['nothing', ''],
    ['a list with a number', '[a, 5]'],
    ['a list with a boolean', '[on]'],
  ])('asks to quote %s (A11)', (_case, value) => {
    expect(errorsOf(`{build: ${value}}`)).toEqual([QUOTE('build')]);
  });

  it.each([
    ['a map', '{a: b}'],
    ['a nested list', '[a, [b]]'],
    ['a list with a map', '[{a: b}]'],
  ])('rejects a value that is %s', (_case, value) => {
    expect(errorsOf(`{build: ${value}}`)).toEqual([`${AT}:build claim value must be a string or an array of strings`]);
  });

  it.each([
    ['a newline', '\\n'],
    ['a carriage return', '\\r'],
    ['DEL', '\\x7F'],
    ['a C1 control', '\\x85'],
    ['a zero-width space', '\\u200B'],
    ['a right-to-left mark', '\\u200F'],
    ['a left-to-right embedding', '\\u202A'],
    ['a right-to-left override', '\\u202E'],
    ['a first-strong isolate', '\\u2068'],
    ['a pop directional isolate', '\\u2069'],
    ['a line separator', '\\u2028'],
    ['a byte-order mark', '\\uFEFF'],
  ])('rejects a value with %s', (_case, escape) => {
    expect(errorsOf(`{team: "plat${escape}form"}`)).toEqual([`${AT}:team claim value contains control or bidi characters`]);
    expect(errorsOf(`{team: [ok, "plat${escape}form"]}`)).toEqual([`${AT}:team claim value contains control or bidi characters`]);
  });

  it.each([
    ['NUL', '\\0'],
    ['a lone surrogate', '\\uD800'],
  ])('leaves a value with %s to the loader, which refuses it everywhere', (_case, escape) => {
    expect(errorsOf(`{team: "plat${escape}form"}`)).toEqual([
      'Invalid configuration format: a string contains a NUL character or an unpaired surrogate',
    ]);
  });

  it('accepts non-ASCII text that is not a control character', () => {
    expect(claimsOf('{team: "Équipe 🚀 東京"}')).toEqual({ team: 'Équipe 🚀 東京' });
  });

  describe('limits', () => {
    it('allows values of 1024 characters and rejects 1025', () => {
      expect(claimsOf(`{team: ${'a'.repeat(1024)}}`)?.team).toHaveLength(1024);
      expect(errorsOf(`{team: [ok, ${'a'.repeat(1025)}]}`)).toEqual([`${AT}:team claim value is too long (maximum is 1024 characters)`]);
    });

    it('allows 50 entries in a value and rejects 51', () => {
      const list = (count: number): string => `[${Array.from({ length: count }, (_, i) => `v${i}`).join(', ')}]`;
      expect(claimsOf(`{team: ${list(50)}}`)?.team).toHaveLength(50);
      expect(errorsOf(`{team: ${list(51)}}`)).toEqual([`${AT}:team claim value has too many entries (maximum is 50)`]);
    });

    it('allows 50 claims per job and rejects 51', () => {
      const claims = (count: number): string => `{${Array.from({ length: count }, (_, i) => `c${i}: v`).join(', ')}}`;
      expect(Object.keys(claimsOf(claims(50)) ?? {})).toHaveLength(50);
      expect(errorsOf(claims(51))).toEqual([`${AT} config contains too many claims (maximum is 50)`]);
    });
  });

  describe('from default:', () => {
    const pipeline = (job: string): CiConfigResult =>
      parseCiConfig(`default: {jwt_claims: [{team: platform}, {tier: gold}]}\njob: {script: x${job}}`, { optInJwt: true });

    it.each([
      ['inherits them when the job sets none', '', { team: 'platform', tier: 'gold' }],
      ['replaces them, never merges, with the job’s own', ', jwt_claims: {team: web}', { team: 'web' }],
      ['drops them for inherit: default: false', ', inherit: {default: false}', null],
      ['keeps them for inherit: default: [jwt_claims]', ', inherit: {default: [jwt_claims]}', { team: 'platform', tier: 'gold' }],
    ])('%s', (_case, job, expected) => {
      const result = pipeline(job);
      expect(result.errors).toEqual([]);
      expect(result.jobs[0].jwtClaims).toEqual(expected);
    });

    it('reports problems in default:jwt_claims once, at default', () => {
      expect(parseCiConfig('default: {jwt_claims: {sub: x}}\none: {script: x}\ntwo: {script: x}', { optInJwt: true }).errors).toEqual([
        'default:jwt_claims reserved claim name: sub',
      ]);
    });
  });
});

describe(checkClaimValue.name, () => {
  it.each([
    ['text', null],
    [['a', 'b'], null],
    [[], null],
    [5, 'not_string'],
    [false, 'not_string'],
    [null, 'not_string'],
    [undefined, 'not_string_or_array'],
    [{ a: 'b' }, 'not_string_or_array'],
    [['a', ['b']], 'not_string_or_array'],
    [['a', 1], 'not_string'],
    ['x'.repeat(1025), 'too_long'],
    [Array(51).fill('x'), 'too_many_entries'],
    ['a\u202Eb', 'control_characters'],
  ])('classifies %p as %p', (value, problem) => {
    expect(checkClaimValue(value)).toBe(problem);
  });
});
