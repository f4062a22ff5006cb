import { isProtectedRef, isValidRefPattern, matchesRefPattern } from './ref-pattern';

describe(matchesRefPattern.name, () => {
  it.each([
    // pattern, name, matches
    ['main', 'main', true],
    ['main', 'refs/heads/main', false],
    ['main', 'heads/main', false],
    ['main', 'main2', false],
    ['main', 'xmain', false],
    ['main', 'Main', false],
    ['main', '', false],
    ['', '', false],
    ['', 'main', false],
    ['release/*', 'release/1.0', true],
    ['release/*', 'release/a/b', true],
    ['release/*', 'release/', true],
    ['release/*', 'release', false],
    ['release/*', 'pre-release/1.0', false],
    ['release/*', 'Release/1.0', false],
    ['*', 'anything/at/all', true],
    ['*', '', true],
    ['*-stable', '1-0-stable', true],
    ['*-stable', '1-0-stable-not', false],
    ['v*.*', 'v1.2', true],
    ['v*.*', 'v12', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['a*b*c', 'acb', false],
    ['**', 'x', true],
    ['feature/*/done', 'feature/a/b/done', true],
    ['feature/*/done', 'feature/done', false],
    // Regex metacharacters are literal.
    ['v1.0', 'v1x0', false],
    ['v1.0', 'v1.0', true],
    ['v1.*', 'v1x2', false],
    ['v1.*', 'v1.2', true],
    ['a+b*', 'aab', false],
    ['a+b*', 'a+bc', true],
    ['(x|y)*', 'x', false],
    ['(x|y)*', '(x|y)z', true],
    ['[ab]*', 'a', false],
    ['^main$*', 'main', false],
    ['^main$*', '^main$', true],
    ['a\\d*', 'a1', false],
    ['a?*', 'ab', false],
  ])('%j against %j → %s', (pattern, name, expected) => {
    expect(matchesRefPattern(pattern, name)).toBe(expected);
  });

  // No timing assertion (performance is measured by the bench): a backtracking matcher would not finish within the
  // test's timeout on this input; the linear one answers at once.
  it('answers a pathological pattern', () => {
    const pattern = '*a'.repeat(100) + 'b';
    const name = 'a'.repeat(255);
    expect(matchesRefPattern(pattern, name)).toBe(false);
  }, 10_000);

  it("agrees with GitLab's regular expression on every short pattern and name over a small alphabet", () => {
    const alphabet = ['a', '/', '.', '*'];
    const strings = (length: number): string[] =>
      length === 0 ? [''] : strings(length - 1).flatMap((prefix) => alphabet.map((c) => prefix + c));
    const upTo = (max: number) => Array.from({ length: max + 1 }, (_, n) => strings(n)).flat();
    const names = upTo(4).filter((name) => !name.includes('*'));
    const disagreements = upTo(4).flatMap((pattern) =>
      names.filter((name) => matchesRefPattern(pattern, name) !== gitlabMatches(pattern, name)).map((name) => [pattern, name]),
    );
    expect(disagreements).toEqual([]);
  });
});

/** GitLab's RefMatcher: exact match, or `\\A` + quoted parts joined with `.*?` + `\\z` when the pattern has a `*`. */
function gitlabMatches(pattern: string, name: string): boolean {
  if (pattern === '') return false;
  if (pattern === name) return true;
  if (!pattern.includes('*')) return false;
  const quote = (part: string) => part.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`^${pattern.split('*').map(quote).join('.*?')}$`, 's').test(name);
}

describe(isProtectedRef.name, () => {
  it.each([
    ['main', ['main'], true],
    ['main', [], false],
    ['release/2', ['main', 'release/*'], true],
    ['feature/x', ['main', 'release/*'], false],
    ['refs/heads/main', ['main'], false],
  ])('%j with %j → %s', (name, patterns, expected) => {
    expect(isProtectedRef(name, patterns)).toBe(expected);
  });
});

describe(isValidRefPattern.name, () => {
  it.each([
    ['main', true],
    ['release/*', true],
    ['*', true],
    ['*-stable', true],
    ['', false],
    ['release/*/', false],
    ['a..*', false],
    ['*.lock', false],
    ['with space*', false],
  ])('%j → %s', (pattern, expected) => {
    expect(isValidRefPattern(pattern)).toBe(expected);
  });
});
