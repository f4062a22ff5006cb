import { ExpressionError, PatternBudgetError, PatternEngine, evaluateExpression, expressionProblem, isTruthful } from '../index';
import vectors from './statement-spec-vectors.json';

type Expected = string | boolean | null;

describe(evaluateExpression.name, () => {
  // GitLab's statement_spec, verbatim (reference §4.6 a): the raw Ruby value of each expression.
  it.each(vectors.cases as [string, Expected][])('evaluates %s to %p', (expression, expected) => {
    expect(evaluateExpression(expression, vectors.variables)).toBe(expected);
  });

  it('has all 80 vectors of the reference', () => {
    expect(vectors.cases).toHaveLength(80);
  });

  const variables = { A: 'abcde', B: '', PATTERN: '/^ab/', CASE_PATTERN: '/^AB/i', ESCAPED: '/a\\/b/', BROKEN: '/(/', SLASHES: 'a/b' };

  it.each<[string, Expected]>([
    // A quoted string on the right of =~ is "right contains left", not a regex (reference §4.4, §11.6).
    ['"23" =~ "1234"', true],
    ['"1234" =~ "23"', false],
    ['$A =~ "abcde"', true],
    ['$A =~ "xabcdex"', true],
    ['$A !~ "abcde"', false],
    ['$UNDEFINED =~ "x"', true], // nil.to_s is "", which every string contains
    ['$UNDEFINED !~ "x"', false],
    // A string (variable or literal) that reads as /pattern/flags and compiles is a regex.
    ['$A =~ $PATTERN', true],
    ['"xab" =~ $PATTERN', false],
    ['$A =~ $CASE_PATTERN', true],
    ['$A =~ "/cd/"', true],
    ['$SLASHES =~ $ESCAPED', true],
    ['"/(/" =~ $BROKEN', true], // RE2 refuses it, so it stays a string, which contains itself
    ['$A =~ $BROKEN', false],
    ['$A !~ $PATTERN', false],
    // A nil right side: =~ is false and !~ is true.
    ['$A =~ $UNDEFINED', false],
    ['$A !~ $UNDEFINED', true],
    ['$A =~ ("a" == "b")', false],
    ['$A !~ ("a" == "b")', true],
    // Variables inside a regex literal are not expanded: $A is an end anchor there.
    ['$A =~ /$A/', false],
    // Regex matching is unanchored.
    ['$A =~ /cd/', true],
    ['$A =~ /^cd/', false],
    // Comparisons give booleans, which compare and print as Ruby's.
    ['("a" == "a") == ("b" == "b")', true],
    ['("a" == "a") == "true"', false],
    ['("a" == "a") =~ "it is true"', true],
    ['/ab/ == /ab/', true],
    ['/ab/ == /cd/', false],
    ['/ab/ == "ab"', false],
    ['"ab" == /ab/', false],
    ['/ab/ =~ "ab"', false],
  ])('evaluates %s to %p', (expression, expected) => {
    expect(evaluateExpression(expression, variables)).toBe(expected);
  });

  it('returns the regex object for a bare regex literal', () => {
    expect(evaluateExpression('/ab/i', {})).toMatchObject({ source: '(?i)ab' });
  });

  it('reads variables by exact name, never from the prototype', () => {
    expect(evaluateExpression('$constructor', {})).toBeNull();
    expect(evaluateExpression('$__proto__', {})).toBeNull();
    expect(evaluateExpression('$a', { A: 'x' })).toBeNull();
    expect(evaluateExpression('$null', { null: 'x' })).toBe('x');
  });

  it('skips the right side of && and || once the left decides, as Ruby does', () => {
    // The right side would be an invalid operand (`true` on the right of =~) if it were evaluated.
    expect(evaluateExpression('null && $A =~ ("a" == "a")', {})).toBeNull();
    expect(evaluateExpression('"x" || $A =~ ("a" == "a")', {})).toBe('x');
  });
});

describe(isTruthful.name, () => {
  const variables = { PRESENT: 'my variable', EMPTY: '', SPACES: ' \t\n ', NBSP: '\u00a0\u2003', ZERO: '0', FALSE: 'false' };

  it.each<[string, boolean]>([
    ['$PRESENT', true],
    ['$EMPTY', false],
    ['$UNDEFINED', false],
    ['$SPACES', false], // ActiveSupport: whitespace-only is blank
    ['$NBSP', false], // Unicode White_Space too
    ['$ZERO', true],
    ['$FALSE', true], // the string "false" is present
    ['$EMPTY && $PRESENT', true], // "" is truthy for &&, so the value is $PRESENT (reference §11.5)
    ['$PRESENT && $EMPTY', false],
    ['$EMPTY || $UNDEFINED', false],
    ['$PRESENT == "my variable"', true],
    ['$PRESENT == "other"', false],
    ['/re/', true], // a regex object is present
    ['$X == 123', false], // invalid syntax is false at run time
    ['$A =~ ("a" == "a")', false],
  ])('%s is %p', (expression, expected) => {
    expect(isTruthful(expression, variables)).toBe(expected);
  });

  it('does not hide a limit behind false', () => {
    expect(() => isTruthful('$A == "x" '.padEnd(3000, ' '), {})).toThrow(ExpressionError);
    expect(() => isTruthful('$A =~ /ab/', { A: 'a'.repeat(1000) }, new PatternEngine(1000))).toThrow(PatternBudgetError);
  });
});

describe(expressionProblem.name, () => {
  it.each([
    '$MY_VAR == "this"',
    '$THIS || $THAT',
    '$X == \'a\' || $X == "b"',
    '$A ()', // GitLab: `()` leaves nothing in the output, so this is just $A
    '() $A',
    '(($A))',
    '$CI_COMMIT_REF =~ /^master$/',
    '$A =~ /\\/path\\/x/',
    '$A =~ /ab/imsU',
    'null',
    '$A =~ /(a+)+$/',
  ])('accepts %s', (expression) => {
    expect(expressionProblem(expression)).toBeNull();
  });

  it.each<[unknown, string]>([
    ['$MY_VAR ==', 'Invalid left operand'],
    ['== "x"', 'Invalid left operand'],
    ['$MY_VAR == 123', 'Unknown lexeme found!'], // numbers are not literals
    ['$MY_VAR =~ /some ( thing/', 'Invalid regular expression!'],
    ['$CI_COMMIT_REF =~ /^(?!master).+/', 'Invalid regular expression!'], // RE2: no lookahead
    ['$A =~ /(?<=a)b/', 'Invalid regular expression!'], // nor lookbehind
    ['$A =~ /(a)\\1/', 'Invalid regular expression!'], // nor backreferences
    ['$A =~ /a{1001}/', 'Invalid regular expression!'], // RE2's repeat limit
    ['$A =~ /./', 'Unknown lexeme found!'], // a literal needs two characters between the slashes
    ['$A =~ /ab/x', 'Unknown lexeme found!'], // x is not a flag, so it is left over
    ['$X == ${Y}', 'Unknown lexeme found!'], // reference §4.6 f: ${ is not a lexeme
    ['!$A', 'Unknown lexeme found!'], // no unary ! before GitLab 19
    ['$A == true', 'Unknown lexeme found!'], // no boolean literals before GitLab 19
    ['$[[ inputs.x ]] == "a"', 'Unknown lexeme found!'], // nor inputs
    ['"unterminated', 'Unknown lexeme found!'],
    ['"across\nlines"', 'Unknown lexeme found!'],
    ['$A = "x"', 'Unknown lexeme found!'],
    ['$A & $B', 'Unknown lexeme found!'],
    ['$A | $B', 'Unknown lexeme found!'],
    ['$A == "x")', 'Unmatched parenthesis'],
    ['($A == "x"', 'Unprocessable token found in parse tree: parenthesis_open'],
    ['$A $B', 'Unreachable nodes in parse tree'],
    ['"a" "b"', 'Unreachable nodes in parse tree'],
    ['$A == $B $C', 'Unreachable nodes in parse tree'],
    ['()', 'Empty parse tree'],
    ['', 'Empty expression'],
    ['  \t', 'Empty expression'],
    [['$A'], 'Expression is not a string'],
    [null, 'Expression is not a string'],
    ['$A =~ ("a" == "a")', 'Invalid right operand'], // GitLab fails evaluating `true` as a pattern
  ])('refuses %p: %s', (expression, reason) => {
    expect(expressionProblem(expression)?.reason).toBe(reason);
  });

  it('counts GitLab syntax errors as syntax, and Lanyard limits as limits', () => {
    expect(expressionProblem('$A ==')?.isSyntaxError).toBe(true);
    expect(expressionProblem('"'.padEnd(2049, 'a'))?.isSyntaxError).toBe(false);
  });

  describe('limits', () => {
    it('accepts an expression of 2048 characters and refuses 2049', () => {
      const expression = (length: number) => `$A == "${'x'.repeat(length - 8)}"`;
      expect(expression(2048)).toHaveLength(2048);
      expect(expressionProblem(expression(2048))).toBeNull();
      expect(expressionProblem(expression(2049))).toMatchObject({
        code: 'ERR_EXPRESSION_TOO_LONG',
        reason: 'expression is too long (maximum is 2048 characters)',
      });
    });

    it('accepts 99 tokens and refuses 100, as GitLab lexes at most 100 times', () => {
      const tokens = (count: number) => Array.from({ length: (count + 1) / 2 }, () => '$A').join(' || ');
      const ninetyNine = tokens(99);
      expect(ninetyNine.split(' ')).toHaveLength(99);
      expect(expressionProblem(ninetyNine)).toBeNull();
      expect(expressionProblem(`${ninetyNine} ||`)).toMatchObject({ code: 'ERR_EXPRESSION_TOO_MANY_TOKENS', reason: 'Too many tokens!' });
      expect(expressionProblem(`${ninetyNine} || $A`)?.code).toBe('ERR_EXPRESSION_TOO_MANY_TOKENS');
    });

    it('refuses a regex whose program is too large', () => {
      expect(expressionProblem('$A =~ /[\\s\\S]{1000}/')).toBeNull();
      expect(expressionProblem('$A =~ /.{1000}.{1000}.{1000}.{1000}.{1000}.{1000}.{1000}.{1000}.{1000}.{1000}.{10}/')).toMatchObject({
        code: 'ERR_REGEXP_TOO_LARGE',
        reason: 'regular expression is too large (maximum is 10000 instructions)',
      });
    });
  });
});
