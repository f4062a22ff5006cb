import { ExpressionError } from './expression-error';
import type { OperatorLexeme, Token } from './lexer';
import type { PatternEngine, UntrustedRegexp } from './pattern-engine';
import { rubyRegexpSource } from './ruby-regexp-syntax';

/** A parsed expression. Operators keep GitLab's lexeme names. */
export type ExpressionNode =
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'pattern'; readonly regexp: UntrustedRegexp }
  | { readonly kind: 'null' }
  | { readonly kind: 'operator'; readonly operator: OperatorLexeme; readonly left: ExpressionNode; readonly right: ExpressionNode };

/** GitLab's precedences: a lower number binds tighter; `(` is above everything so only `)` pops it. */
const PRECEDENCE: Readonly<Record<OperatorLexeme | 'parenthesis_open' | 'parenthesis_close', number>> = {
  equals: 10,
  matches: 10,
  not_equals: 10,
  not_matches: 10,
  and: 11,
  or: 12,
  parenthesis_close: 900,
  parenthesis_open: 901,
};

type StackToken = Extract<Token, { type: 'operator' } | { type: 'parenthesis_open' }>;

const precedenceOf = (token: StackToken): number => PRECEDENCE[token.type === 'operator' ? token.lexeme : token.type];

/**
 * GitLab's `Expression::Parser`: shunting-yard into reverse Polish notation, then a tree. Its quirks are kept: a
 * binary operator pops while its precedence is at least the top's (left-associative), `()` yields nothing (`$A ()` is
 * `$A`), and a leftover `(` only fails when the tree is built. Regex literals are compiled here, as GitLab builds them.
 */
export function parseTokens(tokens: readonly Token[], engine: PatternEngine): ExpressionNode {
  const results: ExpressionNode[] = [];
  for (const token of reversePolish(tokens)) {
    if (token.type === 'value') {
      results.push(valueNode(token, engine));
    } else if (token.type === 'operator') {
      const right = results.pop();
      const left = results.pop();
      if (!left) throw new ExpressionError('ERR_EXPRESSION_OPERAND', 'Invalid left operand');
      if (!right) throw new ExpressionError('ERR_EXPRESSION_OPERAND', 'Invalid right operand');
      results.push({ kind: 'operator', operator: token.lexeme, left, right });
    } else {
      throw new ExpressionError('ERR_EXPRESSION_PARSE', `Unprocessable token found in parse tree: ${token.type}`);
    }
  }
  if (results.length > 1) throw new ExpressionError('ERR_EXPRESSION_PARSE', 'Unreachable nodes in parse tree');
  const [root] = results;
  if (!root) throw new ExpressionError('ERR_EXPRESSION_PARSE', 'Empty parse tree');
  return root;
}

function reversePolish(tokens: readonly Token[]): Token[] {
  const output: Token[] = [];
  const operators: StackToken[] = [];
  const top = (): StackToken | undefined => operators[operators.length - 1];
  const popWhile = (precedence: number): void => {
    for (let last = top(); last && precedence >= precedenceOf(last); last = top()) output.push(operators.pop() as StackToken);
  };
  for (const token of tokens) {
    if (token.type === 'value') {
      output.push(token);
    } else if (token.type === 'operator') {
      popWhile(PRECEDENCE[token.lexeme]);
      operators.push(token);
    } else if (token.type === 'parenthesis_open') {
      operators.push(token);
    } else {
      popWhile(PRECEDENCE.parenthesis_close);
      if (!operators.pop()) throw new ExpressionError('ERR_EXPRESSION_PARSE', 'Unmatched parenthesis');
    }
  }
  return [...output, ...operators.reverse()];
}

function valueNode(token: Extract<Token, { type: 'value' }>, engine: PatternEngine): ExpressionNode {
  switch (token.lexeme) {
    case 'variable':
      return { kind: 'variable', name: token.text };
    case 'string':
      return { kind: 'string', value: token.text };
    case 'null':
      return { kind: 'null' };
    case 'pattern': {
      const regexp = compileRubyRegexp(token.text, engine);
      if (!regexp) throw new ExpressionError('ERR_EXPRESSION_INVALID_REGEXP', 'Invalid regular expression!');
      return { kind: 'pattern', regexp };
    }
  }
}

/** GitLab's `UntrustedRegexp::RubySyntax.fabricate(text)`: a `/pattern/flags` string compiled on RE2, else null. */
export function compileRubySyntax(text: string, engine: PatternEngine): UntrustedRegexp | null {
  const source = rubyRegexpSource(text);
  return source === null ? null : engine.compile(source);
}

/** GitLab's `Lexeme::Pattern.new(text)`: every `\/` becomes `/` first, then as `compileRubySyntax`. */
export function compileRubyRegexp(text: string, engine: PatternEngine): UntrustedRegexp | null {
  return compileRubySyntax(text.replaceAll('\\/', '/'), engine);
}
