import fc from 'fast-check';
import { countedWildcardMatch, matchesWildcard } from './wildcard';

describe(matchesWildcard.name, () => {
  it.each([
    // pattern, text, matches
    ['production', 'production', true],
    ['production', 'production2', false],
    ['production', 'Production', false],
    ['', '', true],
    ['', 'x', false],
    ['*', '', true],
    ['*', 'review/app\nnext', true],
    ['**', 'x', true],
    ['review/*', 'review/', true],
    ['review/*', 'review/a/b', true],
    ['review/*', 'review', false],
    ['review/*', 'pre-review/a', false],
    ['*-eu', 'prod-eu', true],
    ['*-eu', 'prod-eu-2', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'acb', false],
    // The head and the tail may not overlap.
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['a*a', 'a', false],
    // A middle piece found at its leftmost place must still leave room for the tail.
    ['*ab*b', 'aab', false],
    ['*ab*b', 'aabb', true],
    ['*aab*', 'aaab', true],
    ['*abab*', 'abaabab', true],
    // Characters special elsewhere (regular expressions, SQL LIKE) are literal.
    ['v1.*', 'v1x2', false],
    ['v1.*', 'v1.2', true],
    ['a_c*', 'abc', false],
    ['a%*', 'abc', false],
    ['a%*', 'a%c', true],
    ['(x|y)*', 'x', false],
    ['[ab]*', '[ab]c', true],
    ['${ENV}*', '${ENV}-1', true],
  ])('%j against %j → %s', (pattern, text, expected) => {
    expect(matchesWildcard(pattern, text)).toBe(expected);
  });

  it('answers the scope that froze the pickup (ten stars, no final b) with no', () => {
    expect(matchesWildcard('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(42))).toBe(false);
    expect(matchesWildcard('*a'.repeat(1000) + '*b', 'a'.repeat(100_000))).toBe(false);
    expect(matchesWildcard('*a'.repeat(1000) + '*b', 'a'.repeat(100_000) + 'b')).toBe(true);
  });

  it('agrees with a plain recursive matcher on every small pattern and text', () => {
    const over = (alphabet: string, maxLength: number) => fc.string({ unit: fc.constantFrom(...alphabet), maxLength });
    fc.assert(
      fc.property(over('ab*', 8), over('ab', 10), (pattern, text) => {
        expect(matchesWildcard(pattern, text)).toBe(referenceMatch(pattern, text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with the recursive matcher when the text is built to fit the pattern', () => {
    // Random pairs rarely match: fill each star with random text (a match), then maybe drop one character.
    const fitting = fc
      .array(
        fc.tuple(
          fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 3 }),
          fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 3 }),
        ),
        { maxLength: 4 },
      )
      .map((parts) => ({
        pattern: parts.map(([literal]) => literal).join('*'),
        text: parts.map(([literal, filler], i) => (i < parts.length - 1 ? literal + filler : literal)).join(''),
      }));
    fc.assert(
      fc.property(fitting, fc.nat(), fc.boolean(), ({ pattern, text }, at, mutate) => {
        const candidate = mutate && text.length > 0 ? text.slice(0, at % text.length) + text.slice((at % text.length) + 1) : text;
        expect(matchesWildcard(pattern, candidate)).toBe(referenceMatch(pattern, candidate));
      }),
      { numRuns: 5_000 },
    );
  });

  describe('linear time, by steps counted (never by a clock on a shared machine)', () => {
    /** Characters compared or scanned; KMP compares each text character at most twice, each pattern one four times. */
    const steps = (pattern: string, text: string) => {
      const counter = { steps: 0 };
      countedWildcardMatch(pattern, text, counter);
      return counter.steps;
    };
    const bound = (pattern: string, text: string) => 4 * (pattern.length + text.length);

    it.each([
      ['ten stars, no final b', '*a'.repeat(10) + '*b', 'a'.repeat(10_000)],
      ['a thousand stars', '*a'.repeat(1000) + '*b', 'a'.repeat(100_000)],
      ['a long piece that almost matches everywhere', `*${'a'.repeat(999)}b*`, 'a'.repeat(100_000)],
      ['pieces with long borders', `*${'ab'.repeat(300)}a*${'ab'.repeat(300)}c*`, 'ab'.repeat(50_000)],
      ['no star', 'a'.repeat(50_000), 'a'.repeat(50_000)],
    ])('stays within 4 × (pattern + text) on %s', (_title, pattern, text) => {
      expect(steps(pattern, text)).toBeLessThanOrEqual(bound(pattern, text));
      expect(steps(pattern, text)).toBeGreaterThan(0);
    });

    it('stays within the bound on random patterns and texts, and answers as matchesWildcard', () => {
      const over = (alphabet: string, maxLength: number) => fc.string({ unit: fc.constantFrom(...alphabet), maxLength });
      fc.assert(
        fc.property(over('aab*', 300), over('aab', 3000), (pattern, text) => {
          const counter = { steps: 0 };
          expect(countedWildcardMatch(pattern, text, counter)).toBe(matchesWildcard(pattern, text));
          expect(counter.steps).toBeLessThanOrEqual(bound(pattern, text));
        }),
        { numRuns: 2_000 },
      );
    });

    it('would catch a backtracking matcher: the same count for a 10× longer text grows at most 10×', () => {
      const pattern = '*a'.repeat(50) + '*b';
      expect(steps(pattern, 'a'.repeat(20_000))).toBeLessThanOrEqual(10 * steps(pattern, 'a'.repeat(2_000)));
    });
  });
});

/** The definition, tried literally: a star takes 0…n characters (exponential, so small inputs only). */
function referenceMatch(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  if (pattern[0] === '*') {
    for (let taken = 0; taken <= text.length; taken += 1) if (referenceMatch(pattern.slice(1), text.slice(taken))) return true;
    return false;
  }
  return text !== '' && pattern[0] === text[0] && referenceMatch(pattern.slice(1), text.slice(1));
}
