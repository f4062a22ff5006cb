import fc from 'fast-check';
import { PatternEngine } from './pattern-engine';
import { compileRubyRegexp } from './parser';
import { regexLiteralLength, rubyRegexpSource } from './ruby-regexp-syntax';

describe(rubyRegexpSource.name, () => {
  it.each<[string, string | null]>([
    ['/pattern/', 'pattern'],
    ['/pattern/i', '(?i)pattern'],
    ['/pattern/im', '(?im)pattern'],
    ['/pattern/imsU', '(?imsU)pattern'],
    ['/a/b/', 'a/b'],
    ['//', ''],
    ['/a', null],
    ['a/b/', null],
    ['/a/b', null], // b is not a flag
    ['/a/x', null],
    ['pattern', null],
    ['', null],
    // Ruby's ^ and $ are line anchors: the first line of the right form is used.
    ['text\n/b/i', '(?i)b'],
    ['/a/\n', 'a'],
    ['/a\nb/', null],
    ['/a/i\r', null],
  ])('reads %p as %p', (text, source) => {
    expect(rubyRegexpSource(text)).toBe(source);
  });
});

describe(compileRubyRegexp.name, () => {
  const source = (text: string) => compileRubyRegexp(text, new PatternEngine())?.source ?? null;

  // GitLab's pattern_spec (reference §4.6 e).
  it.each<[string, string | null]>([
    ['/pattern/', 'pattern'],
    ['/pattern/i', '(?i)pattern'],
    ['/pattern/im', '(?im)pattern'],
    ['/some .* \\/ pattern/', 'some .* / pattern'],
    ['/some numeric \\/$ pattern/', 'some numeric /$ pattern'],
    ['/some numeric \\$ pattern/', 'some numeric \\$ pattern'],
    ['/ some ( thin/i', null],
    ['foo', null],
  ])('compiles %p as %p', (text, expected) => {
    expect(source(text)).toBe(expected);
  });
});

describe(regexLiteralLength.name, () => {
  const literal = (text: string) => text.slice(0, regexLiteralLength(text, 0));

  // GitLab's pattern_spec (reference §4.6 e) and its lexeme %r{^\/([^\/]|\\/)+[^\\]\/[ismU]*}.
  it.each<[string, string]>([
    ['/pattern/', '/pattern/'],
    ['/pattern/x', '/pattern/'], // the scanner stops before a non-flag
    ['/pattern/imsUx', '/pattern/imsU'],
    ['//', ''],
    ['/a/', ''], // at least two characters between the slashes
    ['/ab/', '/ab/'],
    ['/some .* / pattern/', '/some .* /'], // eager: the first unescaped slash ends it
    ['/some .* \\/ pattern/', '/some .* \\/ pattern/'],
    ['/a\\//', '/a\\//'],
    ['/a//', '/a//'], // the last character before the slash may itself be a slash
    ['/a\\\\/', ''], // ...but not a backslash: a literal cannot end in an escaped backslash
    ['/ab\\/', ''],
    ['/\\/\\//', '/\\/\\//'],
    ['/ab/ == /cd/', '/ab/'],
    ['/a\nb/', '/a\nb/'], // [^\/] crosses lines; the regex then fails to compile
    ['x/ab/', ''],
  ])('takes %p as %p', (text, expected) => {
    expect(literal(text)).toBe(expected);
  });

  it('finds the match Ruby finds, on any text (checked against a backtracking engine on short inputs)', () => {
    const ruby = /\/(?:[^/]|\\\/)+[^\\]\/[ismU]*/y;
    fc.assert(
      fc.property(fc.stringMatching(/^\/[/\\ab\nim]{0,12}$/), (text) => {
        ruby.lastIndex = 0;
        const expected = ruby.exec(text)?.[0].length ?? 0;
        expect(regexLiteralLength(text, 0)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes linear time on a hostile literal', () => {
    const hostile = `/${'\\/'.repeat(200_000)}`;
    expect(regexLiteralLength(hostile, 0)).toBe(0);
    expect(regexLiteralLength(`${hostile}a/`, 0)).toBe(hostile.length + 2);
  });
});
