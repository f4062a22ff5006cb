import { ExpressionError } from './expression-error';
import { EXPRESSION_LIMITS } from './expression-limits';
import { regexLiteralLength } from './ruby-regexp-syntax';

export type ValueLexeme = 'variable' | 'string' | 'pattern' | 'null';
export type OperatorLexeme = 'equals' | 'matches' | 'not_equals' | 'not_matches' | 'and' | 'or';

/** A lexed token; `text` is what it holds: a variable's name, a string's inner text, a pattern's literal. */
export type Token =
  | { readonly type: 'value'; readonly lexeme: ValueLexeme; readonly text: string }
  | { readonly type: 'operator'; readonly lexeme: OperatorLexeme }
  | { readonly type: 'parenthesis_open' }
  | { readonly type: 'parenthesis_close' };

/** GitLab's operator lexemes in lexing order, with their text. */
const OPERATORS: readonly (readonly [OperatorLexeme, string])[] = [
  ['equals', '=='],
  ['matches', '=~'],
  ['not_equals', '!='],
  ['not_matches', '!~'],
  ['and', '&&'],
  ['or', '||'],
];

// Ruby's `\s` and `\w` are ASCII; its `.` stops only at "\n".
const WHITESPACE = /[ \t\n\v\f\r]+/y;
const VARIABLE = /\$([A-Za-z0-9_]+)/y;
const STRING = /"([^\n]*?)"|'([^\n]*?)'/y;

/**
 * GitLab's `Expression::Lexer` as released in 18.x: `( ) $VAR "string" 'string' /regex/flags null == =~ != !~ && ||`,
 * the first lexeme that matches at a position winning. Anything else (`!`, `true`, numbers, `${VAR}`) is
 * `Unknown lexeme found!`. The loop runs `maxTokens` times, so a hundredth token is `Too many tokens!`.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (let round = 0; round < EXPRESSION_LIMITS.maxTokens; round += 1) {
    position += stickyMatch(WHITESPACE, source, position)?.[0].length ?? 0;
    if (position >= source.length) return tokens;
    const [token, length] = lexemeAt(source, position);
    tokens.push(token);
    position += length;
  }
  throw new ExpressionError('ERR_EXPRESSION_TOO_MANY_TOKENS', 'Too many tokens!');
}

function lexemeAt(source: string, position: number): [Token, number] {
  const char = source[position];
  if (char === '(') return [{ type: 'parenthesis_open' }, 1];
  if (char === ')') return [{ type: 'parenthesis_close' }, 1];
  const variable = stickyMatch(VARIABLE, source, position);
  if (variable) return [{ type: 'value', lexeme: 'variable', text: variable[1] }, variable[0].length];
  const string = stickyMatch(STRING, source, position);
  if (string) return [{ type: 'value', lexeme: 'string', text: string[1] ?? string[2] }, string[0].length];
  const pattern = regexLiteralLength(source, position);
  if (pattern > 0) return [{ type: 'value', lexeme: 'pattern', text: source.slice(position, position + pattern) }, pattern];
  if (source.startsWith('null', position)) return [{ type: 'value', lexeme: 'null', text: 'null' }, 4];
  const operator = OPERATORS.find(([, text]) => source.startsWith(text, position));
  if (operator) return [{ type: 'operator', lexeme: operator[0] }, 2];
  throw new ExpressionError('ERR_EXPRESSION_UNKNOWN_LEXEME', 'Unknown lexeme found!');
}

function stickyMatch(pattern: RegExp, source: string, position: number): RegExpExecArray | null {
  pattern.lastIndex = position;
  return pattern.exec(source);
}
