import { ExpressionError, PatternBudgetError } from './expression-error';
import { PATTERN_BUDGET } from './expression-limits';
import { PatternEngine } from './pattern-engine';
import { evaluateExpression, isTruthful } from './statement';

describe(PatternEngine.name, () => {
  it('compiles RE2 syntax and refuses what RE2 refuses', () => {
    const engine = new PatternEngine();
    expect(engine.compile('^release/.*$')).not.toBeNull();
    expect(engine.compile('(?i)MAIN')).not.toBeNull();
    expect(engine.compile('(?P<name>x)')).not.toBeNull();
    for (const source of ['(?!x)', '(?<=a)b', '(a)\\1', 'a++', '(?>a)', '\\Z', '(?x)a', '(']) {
      expect(engine.compile(source)).toBeNull();
    }
  });

  it('matches unanchored, as GitLab scans', () => {
    const engine = new PatternEngine();
    const regexp = engine.compile('b+') as NonNullable<ReturnType<PatternEngine['compile']>>;
    expect(engine.matches(regexp, 'abbbc')).toBe(true);
    expect(engine.matches(regexp, 'ac')).toBe(false);
  });

  it('compiles a source once and charges it once', () => {
    const engine = new PatternEngine();
    const first = engine.compile('^v\\d+$');
    const spent = engine.budget - engine.remaining;
    expect(engine.compile('^v\\d+$')).toBe(first);
    expect(engine.budget - engine.remaining).toBe(spent);
  });

  it('refuses a program above the limit every time, without compiling it again', () => {
    const engine = new PatternEngine();
    const huge = '.{1000}'.repeat(11);
    expect(() => engine.compile(huge)).toThrow(ExpressionError);
    const spent = engine.budget - engine.remaining;
    expect(() => engine.compile(huge)).toThrow('regular expression is too large (maximum is 10000 instructions)');
    expect(engine.budget - engine.remaining).toBe(spent);
  });

  it('charges a match its program size times the text length, before running it', () => {
    const engine = new PatternEngine(PATTERN_BUDGET.steps);
    const regexp = engine.compile('[\\s\\S]{1000}x') as NonNullable<ReturnType<PatternEngine['compile']>>;
    const remaining = engine.remaining;
    // 1003 instructions over 100 000 characters is 10^8 steps: refused at once, never run.
    expect(() => engine.matches(regexp, 'a'.repeat(100_000))).toThrow(PatternBudgetError);
    expect(remaining).toBeLessThan(PATTERN_BUDGET.steps);
  });

  it('stays spent once the budget is gone', () => {
    const engine = new PatternEngine(100);
    expect(() => engine.charge(101)).toThrow(new PatternBudgetError(100));
    expect(() => engine.charge(0)).toThrow('exceeded the pattern matching budget (100 steps)');
  });
});

describe('a hostile pattern in a project file', () => {
  const attack = `${'a'.repeat(50_000)}!`;

  // Each of these takes exponential time on a backtracking engine; RE2 answers in linear time. The test's own
  // timeout is the guard: a hang fails it.
  it.each([
    ['$TEXT =~ /(a+)+$/', false],
    ['$TEXT =~ /(a|aa)+$/', false],
    ['$TEXT =~ /^(a|a?)+$/', false],
    ['$TEXT =~ /(.*a){12}$/', false],
    ['$TEXT =~ /^(\\w+\\s?)*$/', false],
    ['$TEXT !~ /(a+)+b/', true],
    ['$TEXT =~ $HOSTILE', false], // the same pattern held in a variable
  ])('evaluates %s on 50 001 characters to %p', (expression, expected) => {
    expect(evaluateExpression(expression, { TEXT: attack, HOSTILE: '/(a+)+$/' })).toBe(expected);
  });

  it('ends in a budget error, not a hang, when one pattern is matched against a huge text again and again', () => {
    const engine = new PatternEngine();
    const text = 'ab'.repeat(100_000);
    const evaluate = (index: number) => isTruthful(`$TEXT =~ /[ab]{50}c${index}/`, { TEXT: text }, engine);
    expect(() => Array.from({ length: 1000 }, (_, index) => evaluate(index))).toThrow(PatternBudgetError);
  });
});
