import { MAX_REF_NAME_LENGTH, isValidBranchOrTagName, isValidRefName } from './ref-name';

describe(isValidRefName.name, () => {
  it.each([
    'main',
    'feature/login',
    'release/1.0',
    'a/b/c/d',
    'v1.2.3',
    'under_score-and-dash',
    'with@sign',
    'unicode-ブランチ',
    'a.lockb',
    'x'.repeat(MAX_REF_NAME_LENGTH),
  ])('accepts %j', (name) => {
    expect(isValidRefName(name)).toBe(true);
  });

  it.each([
    ['the empty name', ''],
    ['a name over 255 characters', 'x'.repeat(MAX_REF_NAME_LENGTH + 1)],
    ['two consecutive dots', 'a..b'],
    ['a leading dot', '.hidden'],
    ['a component starting with a dot', 'feature/.hidden'],
    ['a trailing dot', 'main.'],
    ['a component ending in .lock', 'feature.lock/x'],
    ['a name ending in .lock', 'main.lock'],
    ['a leading slash', '/main'],
    ['a trailing slash', 'main/'],
    ['consecutive slashes', 'feature//x'],
    ['a leading dash', '-main'],
    ['the single character @', '@'],
    ['@{', 'main@{1}'],
    ['a space', 'my branch'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['a tilde', 'main~1'],
    ['a caret', 'main^'],
    ['a colon', 'a:b'],
    ['a question mark', 'a?b'],
    ['an asterisk', 'release/*'],
    ['an opening bracket', 'a[b'],
    ['a backslash', 'a\\b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('rejects %s', (_case, name) => {
    expect(isValidRefName(name)).toBe(false);
  });
});

describe(isValidBranchOrTagName.name, () => {
  it.each([
    ['main', true],
    ['feature/x', true],
    ['deadbeef', true],
    ['HEAD', false],
    ['refs/heads/main', false],
    ['refs/tags/v1', false],
    ['0123456789abcdef0123456789abcdef01234567', false],
    ['0123456789ABCDEF0123456789ABCDEF01234567', false],
    ['0123456789abcdef0123456789abcdef012345678', true],
    ['a..b', false],
  ])('%j → %s', (name, expected) => {
    expect(isValidBranchOrTagName(name)).toBe(expected);
  });
});
