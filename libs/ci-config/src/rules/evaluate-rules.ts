import { ExpressionError, PatternBudgetError } from '../expressions/expression-error';
import { type ClauseName, RuleClauseError, type RulesContext, ruleClauses } from './rule-clauses';
import type { RuleWhen } from './rule-keywords';
import { rulesMessages as msg } from './rule-messages';
import type { AutoCancel, RuleDefinition, RuleNeed } from './rule-types';

/**
 * What `rules:` decided (GitLab's `Build::Rules::Result`). `when: 'never'` means the job (or pipeline) is not created;
 * then `errors` may say why it could not be decided. The matched rule's other keys apply to the job.
 */
export interface RulesResult {
  readonly when: RuleWhen;
  readonly startIn?: string;
  readonly allowFailure?: boolean;
  readonly interruptible?: boolean;
  /** Override the job's YAML variables (in `workflow:`, the pipeline's). */
  readonly variables?: Readonly<Record<string, string>>;
  /** Replace the job's `needs` (and make it a DAG job); absent when the rule has none, or an empty list. */
  readonly needs?: readonly RuleNeed[];
  readonly autoCancel?: AutoCancel;
  /** GitLab shows them as `Failed to parse rule for <job>: <errors>` (see `rulesMessages.ruleFailed`). */
  readonly errors: readonly string[];
}

/**
 * GitLab's `Build::Rules#evaluate`: the first rule whose clauses all hold wins; a rule without clauses always holds.
 * No rule at all (`rules` undefined) gives `defaultWhen`: the job's own `when`, `on_success` unless set, or `always`
 * for `workflow:`. No match gives `never`. A clause that cannot be evaluated (a `compare_to` naming no commit, an
 * `exists:project` not found) or that hits a Lanyard limit gives `never` with the error.
 */
export function evaluateRules(
  rules: readonly RuleDefinition[] | undefined,
  context: RulesContext,
  defaultWhen: RuleWhen = 'on_success',
): RulesResult {
  if (rules === undefined) return { when: defaultWhen, errors: [] };
  const matched = firstMatch(rules, context);
  if (typeof matched === 'string') return { when: 'never', errors: [matched] };
  if (!matched) return { when: 'never', errors: [] };
  return {
    when: matched.when ?? defaultWhen,
    ...(matched.startIn !== undefined ? { startIn: matched.startIn } : {}),
    ...(matched.allowFailure !== undefined ? { allowFailure: matched.allowFailure } : {}),
    ...(matched.interruptible !== undefined ? { interruptible: matched.interruptible } : {}),
    ...(matched.variables !== undefined ? { variables: matched.variables } : {}),
    ...(matched.needs !== undefined && matched.needs.length > 0 ? { needs: matched.needs } : {}),
    ...(matched.autoCancel !== undefined ? { autoCancel: matched.autoCancel } : {}),
    errors: [],
  };
}

/**
 * GitLab's `External::Rules#evaluate` for an `include:` item: included without rules, or when the matched rule's
 * `when` is not `never`; an error is GitLab's `include:<message>`, which fails pipeline creation.
 */
export function evaluateIncludeRules(
  rules: readonly RuleDefinition[] | undefined,
  context: RulesContext,
): { readonly included: boolean; readonly error: string | null } {
  if (rules === undefined) return { included: true, error: null };
  const matched = firstMatch(rules, context);
  if (typeof matched === 'string') return { included: false, error: msg.includeRule(matched) };
  return { included: matched !== null && matched.when !== 'never', error: null };
}

/** The first matching rule, null when none matches, or the message of the error that stopped the evaluation. */
function firstMatch(rules: readonly RuleDefinition[], context: RulesContext): RuleDefinition | null | string {
  let clause: ClauseName = 'if';
  try {
    for (const rule of rules) {
      const holds = ruleClauses(rule, context).every(([name, evaluate]) => {
        clause = name;
        return evaluate();
      });
      if (holds) return rule;
    }
    return null;
  } catch (error) {
    if (error instanceof RuleClauseError) return error.message;
    if (error instanceof PatternBudgetError || error instanceof ExpressionError) return msg.clauseLimit(clause, error.message);
    throw error;
  }
}
