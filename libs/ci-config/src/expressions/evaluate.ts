import { ExpressionError } from './expression-error';
import type { ExpressionNode } from './parser';
import { compileRubyRegexp } from './parser';
import { PatternEngine, UntrustedRegexp } from './pattern-engine';
import { type ExpressionValue, isRubyTruthy, rubyEquals, rubyToString } from './ruby-values';

/** The variables an expression reads, by exact name. An own property is a defined variable; anything else is `nil`. */
export type ExpressionVariables = Readonly<Record<string, string>>;

/** Evaluates a parsed expression with Ruby's semantics (GitLab's `Lexeme#evaluate`). */
export function evaluateNode(node: ExpressionNode, variables: ExpressionVariables, engine: PatternEngine): ExpressionValue {
  switch (node.kind) {
    case 'variable':
      return Object.hasOwn(variables, node.name) ? variables[node.name] : null;
    case 'string':
      return node.value;
    case 'null':
      return null;
    case 'pattern':
      return node.regexp;
    case 'operator':
      return evaluateOperator(node, variables, engine);
  }
}

function evaluateOperator(
  node: Extract<ExpressionNode, { kind: 'operator' }>,
  variables: ExpressionVariables,
  engine: PatternEngine,
): ExpressionValue {
  const left = (): ExpressionValue => evaluateNode(node.left, variables, engine);
  const right = (): ExpressionValue => evaluateNode(node.right, variables, engine);
  switch (node.operator) {
    // Ruby's `&&` and `||` return an operand, not a boolean, and skip the right side when the left decides.
    case 'and': {
      const value = left();
      return isRubyTruthy(value) ? right() : value;
    }
    case 'or': {
      const value = left();
      return isRubyTruthy(value) ? value : right();
    }
    case 'equals':
      return rubyEquals(left(), right());
    case 'not_equals':
      return !rubyEquals(left(), right());
    case 'matches': {
      const text = left();
      const pattern = right();
      return isRubyTruthy(pattern) ? scans(pattern, text, engine) : false;
    }
    case 'not_matches': {
      const text = left();
      const pattern = right();
      return isRubyTruthy(pattern) ? !scans(pattern, text, engine) : true;
    }
  }
}

/**
 * GitLab's `=~`: `Pattern.build_and_evaluate(right).scan(left.to_s).present?`. A string on the right that reads as
 * `/pattern/flags` and compiles is a regex (so a variable can hold one); any other string is a plain text the right
 * side must contain (`"23" =~ "1234"` is true).
 */
function scans(pattern: ExpressionValue, text: ExpressionValue, engine: PatternEngine): boolean {
  const subject = rubyToString(text);
  if (pattern instanceof UntrustedRegexp) return engine.matches(pattern, subject);
  // Only `true` gets here besides strings: GitLab fails on it (`true.gsub`), so the statement is invalid.
  if (typeof pattern !== 'string') throw new ExpressionError('ERR_EXPRESSION_OPERAND', 'Invalid right operand');
  const regexp = compileRubyRegexp(pattern, engine);
  if (regexp) return engine.matches(regexp, subject);
  engine.charge(pattern.length + subject.length);
  return pattern.includes(subject);
}
