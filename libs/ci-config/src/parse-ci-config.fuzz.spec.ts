import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseCiConfig } from './index';
import { ciConfigMessages } from './messages';
import { JOB_KEYWORDS, ROOT_KEYWORDS, UNSUPPORTED_ROOT_KEYWORDS } from './keywords';

/**
 * Issue 19: whatever text or job map arrives, the parser answers with lint errors, never an exception, and each error
 * says where: GitLab's location prefix (`jobs:deploy`, `cache config`, `deploy job:`) or a whole-file message.
 */
const WHOLE_FILE = [
  'Please provide content of .gitlab-ci.yml',
  'config ',
  'Invalid configuration format',
  'spec:inputs',
  'jobs config should contain at least one visible job',
  'The pipeline has circular dependencies',
];
const LOCATION_WORDS = new Set<string>([
  'jobs',
  'caches',
  'root',
  '!reference',
  ...ROOT_KEYWORDS,
  ...UNSUPPORTED_ROOT_KEYWORDS,
  ...JOB_KEYWORDS,
]);

/** The first segment of a message (up to a space or a colon) names a key the input has (`""` too), or a GitLab location word. */
function located(message: string, keys: (segment: string) => boolean): boolean {
  if (WHOLE_FILE.some((prefix) => message.startsWith(prefix))) return true;
  const segment = message.split(/[ :]/)[0];
  return LOCATION_WORDS.has(segment) || keys(segment);
}

function expectLintAnswer(source: string, keys: (segment: string) => boolean): void {
  const result = parseCiConfig(source, { optInJwt: true });
  expect(result.valid).toBe(result.errors.length === 0);
  if (!result.valid) expect(result.jobs).toEqual([]);
  expect(result.errors).not.toContain(ciConfigMessages.internalError());
  for (const message of result.errors) {
    expect(typeof message).toBe('string');
    if (!located(message, keys)) throw new Error(`error without a location: ${JSON.stringify(message)}`);
  }
}

const KEYWORDS = [...new Set([...ROOT_KEYWORDS, ...JOB_KEYWORDS, 'aud', 'vault', 'name', 'matrix', 'if', 'key', 'paths', 'max'])];
const HOSTILE_TEXT = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\ufeff',
  '\t',
  '\r\n',
  '&a',
  '*a',
  '<<: *a',
  '!reference [a, b]',
  '!!binary',
  '%YAML 1.1',
  '---',
];

describe('parseCiConfig (fuzz)', () => {
  it('answers arbitrary text, control characters and lone surrogates included, with located errors', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc
        .array(
          fc.oneof(
            fc.constantFrom(...HOSTILE_TEXT, ...KEYWORDS.map((k) => `${k}:`), ': ', '- ', '\n', '  ', '[', '{', ']', '}'),
            fc.string({ maxLength: 4 }),
          ),
          { maxLength: 30 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (source) => expectLintAnswer(source, (segment) => segment !== '' && source.includes(segment))),
      { numRuns: 2000 },
    );
  });

  it('answers arbitrary job maps (any keys, any value shapes) with located errors', () => {
    const key = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...KEYWORDS) },
      fc.string({ maxLength: 5 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', '.hidden', 'default', 'x'.repeat(300), '\u202e', 'job\u0000'),
    );
    const scalar = fc.oneof(
      fc.constantFrom(
        null,
        true,
        false,
        0,
        -1,
        1e308,
        Number.MAX_SAFE_INTEGER + 2,
        'manual',
        'always',
        '1 week',
        '$CI_JOB_TOKEN',
        '',
        '\u0000',
      ),
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.double(),
    );
    const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const jobs = fc.dictionary(key, value, { maxKeys: 6 });
    /** Every key anywhere in the map: a message's location may name any of them. */
    const keysOf = (node: unknown, into = new Set<string>()): Set<string> => {
      if (Array.isArray(node)) node.forEach((item) => keysOf(item, into));
      else if (node !== null && typeof node === 'object') {
        for (const [name, item] of Object.entries(node)) {
          // A key holding a space or a colon starts the message with its first segment.
          into.add(name.split(/[ :]/)[0]);
          keysOf(item, into);
        }
      }
      return into;
    };
    fc.assert(
      fc.property(jobs, (map) => {
        const keys = keysOf(map);
        expectLintAnswer(stringify(map), (segment) => keys.has(segment));
      }),
      { numRuns: 1500 },
    );
  });
});
