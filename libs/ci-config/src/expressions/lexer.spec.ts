import { ExpressionError } from './expression-error';
import { tokenize } from './lexer';

const lexemes = (source: string) =>
  tokenize(source).map((token) => (token.type === 'value' || token.type === 'operator' ? token.lexeme : token.type));

describe(tokenize.name, () => {
  // GitLab's lexer_spec (reference §4.6 e).
  it('skips whitespace around a token', () => {
    expect(tokenize('\t$VARIABLE ')).toHaveLength(1);
  });

  it('lexes several values', () => {
    expect(tokenize('$VARIABLE "text" "value"')).toHaveLength(3);
    expect(lexemes('$VAR "text"')).toEqual(['variable', 'string']);
  });

  it('refuses a number', () => {
    expect(() => tokenize('$V1 123 $V2')).toThrow(new ExpressionError('ERR_EXPRESSION_UNKNOWN_LEXEME', 'Unknown lexeme found!'));
  });

  it('lexes every lexeme of GitLab 18, in its order of precedence', () => {
    expect(lexemes(`( ) $A "s" 's' /ab/i null == =~ != !~ && ||`)).toEqual([
      'parenthesis_open',
      'parenthesis_close',
      'variable',
      'string',
      'string',
      'pattern',
      'null',
      'equals',
      'matches',
      'not_equals',
      'not_matches',
      'and',
      'or',
    ]);
  });

  it('needs no whitespace between tokens', () => {
    expect(lexemes('($A=="x"||$B!~/ab/)&&null')).toEqual([
      'parenthesis_open',
      'variable',
      'equals',
      'string',
      'or',
      'variable',
      'not_matches',
      'pattern',
      'parenthesis_close',
      'and',
      'null',
    ]);
  });

  it('keeps what each value holds', () => {
    expect(tokenize(`$CI_COMMIT_REF_NAME "it's" 'say "hi"' /a\\/b/im`)).toEqual([
      { type: 'value', lexeme: 'variable', text: 'CI_COMMIT_REF_NAME' },
      { type: 'value', lexeme: 'string', text: "it's" },
      { type: 'value', lexeme: 'string', text: 'say "hi"' },
      { type: 'value', lexeme: 'pattern', text: '/a\\/b/im' },
    ]);
  });

  it('takes strings as written: no escapes, the first closing quote ends them', () => {
    expect(tokenize('"a\\"')).toEqual([{ type: 'value', lexeme: 'string', text: 'a\\' }]);
    expect(tokenize('""')).toEqual([{ type: 'value', lexeme: 'string', text: '' }]);
  });

  it('reads a variable named null as a variable, and null followed by letters as null then junk', () => {
    expect(lexemes('$null')).toEqual(['variable']);
    expect(() => tokenize('nullx')).toThrow('Unknown lexeme found!');
  });

  it('reads $ names as ASCII word characters only', () => {
    expect(() => tokenize('$ÄB')).toThrow('Unknown lexeme found!');
    expect(() => tokenize('$')).toThrow('Unknown lexeme found!');
    expect(() => tokenize('${A}')).toThrow('Unknown lexeme found!');
  });

  it.each(['!', '!$A', 'true', 'false', '1', '$A = "x"', '&', '|', '~', '$[[ inputs.a ]]', '\u00a0$A'])('refuses %p', (source) => {
    expect(() => tokenize(source)).toThrow('Unknown lexeme found!');
  });

  it('lexes at most 99 tokens: GitLab loops 100 times and fails after the hundredth', () => {
    expect(tokenize('( '.repeat(99))).toHaveLength(99);
    expect(() => tokenize('( '.repeat(100))).toThrow(new ExpressionError('ERR_EXPRESSION_TOO_MANY_TOKENS', 'Too many tokens!'));
    expect(() => tokenize(`${'( '.repeat(100)} !`)).toThrow('Too many tokens!');
  });
});
