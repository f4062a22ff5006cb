import { ExpressionError, PatternBudgetError } from '../expressions/expression-error';
import type { PatternEngine } from '../expressions/pattern-engine';
import { expressionProblem } from '../expressions/statement';
import type { Problems, YamlValue } from '../values';
import { rulesMessages as msg } from './rule-messages';

/**
 * GitLab's `ExpressionValidator` on `rules:if` and `only:variables`: "invalid expression syntax" for anything GitLab
 * refuses; Lanyard's limits say which limit. Returns whether the expression is valid.
 */
export function checkExpression(
  value: YamlValue,
  location: string,
  attribute: string,
  problems: Problems,
  engine: PatternEngine,
): value is string {
  let problem: ExpressionError | PatternBudgetError | null;
  try {
    problem = expressionProblem(value, engine);
  } catch (error) {
    if (!(error instanceof PatternBudgetError)) throw error;
    problem = error;
  }
  if (problem === null) return true;
  if (problem instanceof ExpressionError && problem.isSyntaxError) problems.error(msg.invalidExpression(location, attribute));
  else problems.error(msg.expressionLimit(location, attribute, problem.message));
  return false;
}
