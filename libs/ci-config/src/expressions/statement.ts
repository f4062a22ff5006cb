import { ExpressionError } from './expression-error';
import { EXPRESSION_LIMITS } from './expression-limits';
import { type ExpressionVariables, evaluateNode } from './evaluate';
import { tokenize } from './lexer';
import { type ExpressionNode, parseTokens } from './parser';
import { PatternEngine } from './pattern-engine';
import { type ExpressionValue, isPresent } from './ruby-values';

/**
 * Parses a `rules:if` / `only:variables` expression (GitLab's `Statement#parse_tree`). Throws `ExpressionError`:
 * GitLab's syntax errors, or Lanyard's length and regex-size limits; `PatternBudgetError` when `engine` is spent.
 */
export function parseExpression(source: string, engine: PatternEngine = new PatternEngine()): ExpressionNode {
  if (source.length > EXPRESSION_LIMITS.maxExpressionLength) {
    throw new ExpressionError(
      'ERR_EXPRESSION_TOO_LONG',
      `expression is too long (maximum is ${EXPRESSION_LIMITS.maxExpressionLength} characters)`,
    );
  }
  const tokens = tokenize(source);
  if (tokens.length === 0) throw new ExpressionError('ERR_EXPRESSION_PARSE', 'Empty expression');
  return parseTokens(tokens, engine);
}

/**
 * The value of `source` with `variables` (GitLab's `Statement#evaluate`): a string, `null`, a boolean or a regex, as
 * Ruby computes it. Throws as `parseExpression` does.
 */
export function evaluateExpression(
  source: string,
  variables: ExpressionVariables,
  engine: PatternEngine = new PatternEngine(),
): ExpressionValue {
  return evaluateNode(parseExpression(source, engine), variables, engine);
}

/**
 * Whether a rule with `if: source` matches (GitLab's `Statement#truthful?`): the value is `present?`, and a GitLab
 * syntax error is simply false. Lanyard's limits are not hidden that way: they throw.
 */
export function isTruthful(source: string, variables: ExpressionVariables, engine: PatternEngine = new PatternEngine()): boolean {
  try {
    return isPresent(evaluateExpression(source, variables, engine));
  } catch (error) {
    if (error instanceof ExpressionError && error.isSyntaxError) return false;
    throw error;
  }
}

/**
 * Why `source` is not a valid expression, or null when it is (GitLab's `ExpressionValidator`: it parses and evaluates
 * with no variables). `PatternBudgetError` is thrown, not returned.
 */
export function expressionProblem(source: unknown, engine: PatternEngine = new PatternEngine()): ExpressionError | null {
  if (typeof source !== 'string') return new ExpressionError('ERR_EXPRESSION_PARSE', 'Expression is not a string');
  try {
    evaluateExpression(source, {}, engine);
    return null;
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
}
