import { MAX_JSON_NESTING, jsonNestingExceeds } from './json-nesting';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number) => '{"k":'.repeat(depth) + '0' + '}'.repeat(depth);

describe(jsonNestingExceeds.name, () => {
  it('uses GitLab’s limit of 100', () => expect(MAX_JSON_NESTING).toBe(100));

  it.each([
    ['a scalar', '1', false],
    ['100 nested arrays', arrays(100), false],
    ['101 nested arrays', arrays(101), true],
    ['100 nested objects', objects(100), false],
    ['101 nested objects', objects(101), true],
    ['mixed nesting of 101', '{"a":' + arrays(100) + '}', true],
    ['many siblings at depth 2', '[' + '[],'.repeat(5000) + '[]]', false],
    ['brackets inside a string', JSON.stringify({ a: '['.repeat(500) + '{'.repeat(500) }), false],
    ['an escaped quote before brackets in a string', JSON.stringify(['\\"' + '['.repeat(200)]), false],
    ['an escaped backslash ending a string', '["\\\\",' + arrays(99) + ']', false],
    ['an escaped backslash ending a string, then too deep', '["\\\\",' + arrays(100) + ']', true],
    ['multibyte text around brackets', JSON.stringify({ ключ: '[[[ 😀 ]]]' }), false],
    ['malformed text (left to the parser)', ']]]}}}' + '{'.repeat(50), false],
    ['an unterminated string', '["' + '['.repeat(500), false],
  ])('%s → %s', (_case, text, expected) => {
    expect(jsonNestingExceeds(bytes(text), MAX_JSON_NESTING)).toBe(expected);
  });

  it('answers a 2 MB body of openers without recursion', () => {
    expect(jsonNestingExceeds(bytes('['.repeat(2 * 1024 * 1024)), MAX_JSON_NESTING)).toBe(true);
  });
});
