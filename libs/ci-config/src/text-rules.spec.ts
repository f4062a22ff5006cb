import { hasControlOrBidiCharacters, isValidJobVariableName } from './index';
import { utf8ByteLength } from './text-rules';

describe(hasControlOrBidiCharacters.name, () => {
  it.each<[string, string, boolean]>([
    ['plain ASCII', 'platform-team_1', false],
    ['accents, CJK and emoji', 'Équipe 東京 🚀', false],
    ['a space', 'a b', false],
    ...[
      0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f, 0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a,
      0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff,
    ].map((code): [string, string, boolean] => [
      `U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
      `a${String.fromCharCode(code)}b`,
      true,
    ]),
    ['a lone high surrogate', 'a\uD800b', true],
    ['a lone low surrogate', 'a\uDC00b', true],
    ['a high surrogate at the end', 'a\uD800', true],
    ['U+2060 (word joiner, not listed)', 'a\u2060b', false],
    ['U+00A0 (no-break space)', 'a\u00A0b', false],
  ])('%s → %s', (_case, text, expected) => {
    expect(hasControlOrBidiCharacters(text)).toBe(expected);
  });
});

describe(isValidJobVariableName.name, () => {
  it.each([
    ['VAULT_ID_TOKEN', true],
    ['_x', true],
    ['a1', true],
    ['CIRCLE', true],
    ['CI', false],
    ['CI_JOB_TOKEN', false],
    ['ci_job_token', false],
    ['GITLAB_CI', false],
    ['Gitlab_Token', false],
    ['1A', false],
    ['A-B', false],
    ['', false],
    ['A B', false],
  ])('%p → %p', (name, expected) => {
    expect(isValidJobVariableName(name)).toBe(expected);
  });
});

describe(utf8ByteLength.name, () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['東', 3],
    ['🚀', 4],
    ['\uD800', 3],
  ])('%p is %p bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });
});
