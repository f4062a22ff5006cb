/**
 * Hostile requests for the HTTP fuzz pass (issue 19), drawn from a seeded generator so that a failure replays with
 * `FUZZ_SEED=<seed>`. Every request is plain data (`FuzzRequest`), the shape the corpus files hold too.
 */

export type FuzzIdentity = 'admin' | 'anonymous' | 'developer' | 'token';

export interface FuzzRequest {
  readonly method: string;
  /** A path under the server root; `{project}`, `{group}`, `{user}`, `{runner}`, `{job}`, `{pipeline}` are filled in. */
  readonly path: string;
  readonly as: FuzzIdentity;
  /** A JSON value sent as `application/json`, unless `raw` is given. */
  readonly body?: unknown;
  /** Bytes sent as they are (hex in corpus files: `rawHex`), with `contentType`. */
  readonly raw?: string;
  readonly rawHex?: string;
  readonly contentType?: string;
  /** Extra request headers (placeholders filled in too). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly note?: string;
}

/** Mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Pick = <T>(items: readonly T[]) => T;
export const picker =
  (random: () => number): Pick =>
  (items) =>
    items[Math.floor(random() * items.length)];

/** Text an attacker may choose: control and bidi characters, lone surrogates, numbers past every integer type, huge. */
export const HOSTILE_TEXT: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'x\u0000y',
  '\ud800',
  'a\udfffb',
  '\u202egnp.exe',
  '\ufeff',
  '𝕏',
  '__proto__',
  'constructor',
  'prototype',
  '../../../etc/passwd',
  '%00',
  '%ff',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '$CI_JOB_TOKEN',
  '-1',
  '0',
  '1.5',
  '1e308',
  '-1e308',
  '0x10',
  'NaN',
  'Infinity',
  '9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999999999999999',
  'true',
  'null',
  '[]',
  '{}',
  'a'.repeat(5_000),
  'é'.repeat(70_000),
];

/** JSON values where a field expects something else. */
export const HOSTILE_VALUES: readonly unknown[] = [
  ...HOSTILE_TEXT,
  null,
  true,
  false,
  0,
  -1,
  -0,
  1.5,
  1e308,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  2_147_483_648,
  [],
  [null],
  [[[[[]]]]],
  {},
  { __proto__: null, key: 'x' },
  JSON.parse('{"__proto__":{"admin":true}}'),
  { constructor: { prototype: { admin: true } } },
  ['a'.repeat(300)],
  Array.from({ length: 300 }, (_, i) => `t${i}`),
];

/** Whole bodies that are not what any route reads, as raw bytes and a content type. */
export const HOSTILE_BODIES: readonly { raw?: string; rawHex?: string; contentType: string; note: string }[] = [
  { raw: '{"a":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}', contentType: 'application/json', note: 'nested 20,000 deep' },
  { raw: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', contentType: 'application/json', note: '__proto__' },
  { raw: '{"id":123456789012345678901234567890123,"n":1e400,"m":-1e400}', contentType: 'application/json', note: 'beyond bigint' },
  { raw: '{"name":"\\ud800","path":"\\udfff"}', contentType: 'application/json', note: 'lone surrogates escaped' },
  { raw: '{"name":"a\\u0000b"}', contentType: 'application/json', note: 'NUL escaped' },
  { rawHex: '7b226e616d65223a22fffec328c0af227d', contentType: 'application/json', note: 'invalid UTF-8 bytes' },
  { rawHex: '6e616d653d25ff2578fe', contentType: 'application/x-www-form-urlencoded', note: 'invalid UTF-8 in a form' },
  { raw: '{"name": "x"', contentType: 'application/json', note: 'truncated JSON' },
  { raw: '[1,2,3]', contentType: 'application/json', note: 'an array' },
  { raw: 'null', contentType: 'application/json', note: 'null' },
  { raw: '"text"', contentType: 'application/json', note: 'a string' },
  { raw: '\ufeff{}', contentType: 'application/json', note: 'BOM' },
  { raw: '{"a":1}', contentType: 'application/json; charset=latin1', note: 'latin1 charset' },
  { raw: '{"a":1}', contentType: 'application/json; charset=utf-16', note: 'utf-16 charset' },
  { raw: 'name=x&path=y&a[b][c][d][e][f]=1&__proto__[admin]=1', contentType: 'application/x-www-form-urlencoded', note: 'a form' },
  {
    raw: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
    contentType: 'multipart/form-data; boundary=b',
    note: 'multipart',
  },
  { raw: '<a>1</a>', contentType: 'application/xml', note: 'XML' },
  { raw: 'plain', contentType: 'text/plain', note: 'text' },
  { raw: '{}', contentType: 'application/json, text/html', note: 'two content types' },
  { raw: '{}', contentType: '', note: 'empty content type' },
];

/** Query parameters: the hostile shapes qs parses (arrays, nested objects, prototype keys). */
export const HOSTILE_QUERY_SHAPES: readonly ((name: string, value: string) => string)[] = [
  (name, value) => `${name}=${value}`,
  (name, value) => `${name}[]=${value}&${name}[]=${value}`,
  (name, value) => `${name}[__proto__][admin]=${value}`,
  (name, value) => `${name}${'[a]'.repeat(30)}=${value}`,
  (name, value) => `${name}[constructor][prototype][x]=${value}`,
  (name) => name,
];

/** Percent-encodes every UTF-8 byte of a value, letters included (`%67lpat-…`): what a naive redactor misses. */
export function encodeEvery(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** Path segments for a `{param}`: raw bytes no client should send, encoded so that the request line is legal. */
export const HOSTILE_SEGMENTS: readonly string[] = [
  '%00',
  '%ff',
  '%C0%AF',
  '%ED%A0%80',
  '%E2%80%AE',
  '%2e%2e',
  '%2F..%2F',
  '%252F',
  '__proto__',
  'constructor',
  '-1',
  '0',
  '1.5',
  '1e308',
  '0x10',
  '9223372036854775808',
  '99999999999999999999999999999999',
  'a'.repeat(3_000),
  encodeEvery('ré f'),
  '%',
  '%zz',
];

/** Job keywords with valid values that make lint, a dry run, a preview and pipeline creation work hard. */
const CI_FRAGMENTS: readonly string[] = [
  '  environment: review/$CI_COMMIT_REF_SLUG$V$V',
  '  environment: {name: "prod:eu", deployment_tier: production}',
  "  rules: [{if: '$CI_COMMIT_BRANCH =~ /(a+)+$/'}]",
  '  rules: [{if: \'$V == "x" || $CI_PIPELINE_SOURCE\', when: manual}]',
  '  rules: [{changes: ["**/*{a,b}{c,d}{e,f}{g,h}"]}]',
  '  parallel: {matrix: [{A: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], B: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}]}',
  '  id_tokens: {T: {aud: ["https://$CI_SERVER_HOST", "${V}", "%V%"]}, U: {aud: "$CI_COMMIT_REF_NAME:$V"}}',
  '  jwt_claims: {team: "$CI_COMMIT_REF_NAME", tier: "%V%"}',
  '  variables: {V: "$V$V$V", W: {value: "%V%", description: w}}',
  '  when: delayed\n  start_in: 1 second',
  '  timeout: 3 hours 59 minutes',
  '  cache: [{key: {files: [a, b]}, paths: ["x"]}, {key: "$V-$W", paths: ["**"]}]',
  '  artifacts: {paths: ["**"], expire_in: never, reports: {junit: "*.xml"}}',
  '  retry: {max: 2, when: [unknown_failure, script_failure]}',
  "  coverage: '/(a|a)*b/'",
  '  image: {name: "$V:$W", docker: {platform: linux/amd64}}',
  '  allow_failure: {exit_codes: [1, 255]}',
  '  needs: []',
];
/** Values no lint accepts, one at times, to reach every refusal too. */
const CI_REFUSED: readonly string[] = [
  '  stage: "\\0"',
  '  trigger: x',
  '  timeout: 99999999 years',
  '  start_in: -1 second',
  '  parallel: 201',
  '  secrets: {S: {vault: a/b@c, token: $NOPE}}',
  '  artifacts: {reports: {junit: "\\ud800"}}',
  '  id_tokens: {T: {aud: "$CI_JOB_TOKEN"}}',
  '  extends: [.a0, .a1]',
  '  needs: [j0, j0, {job: x, optional: true}]',
];

/** A `.gitlab-ci.yml` of one to three jobs, each a few fragments (rarely a refused one), and a header. */
export function hostileCiYaml(pick: Pick): string {
  const jobs = Array.from({ length: pick([1, 2, 3]) }, (_, i) => {
    const fragments = Array.from({ length: pick([1, 2, 3, 4]) }, () => pick(CI_FRAGMENTS));
    if (pick([false, false, false, true])) fragments.push(pick(CI_REFUSED));
    // One fragment per keyword: a repeated key is only a duplicate-key error.
    const byKeyword = new Map(fragments.map((line) => [line.split(':')[0], line]));
    byKeyword.set('  script', '  script: [make]');
    return [`${pick([`j${i}`, `j${i}`, `.a${i}`, `job "${i}"`])}:`, ...byKeyword.values()].join('\n');
  });
  const header = pick(['', 'variables: {V: "$W$W", W: "$V"}\n', 'default: {id_tokens: {D: {aud: x}}}\n', 'stages: [build, test, build]\n']);
  return `${header}${jobs.join('\n')}\n`;
}
