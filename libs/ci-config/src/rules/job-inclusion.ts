import { ExpressionError, PatternBudgetError } from '../expressions/expression-error';
import type { YamlMap } from '../values';
import { type RulesResult, evaluateRules } from './evaluate-rules';
import { DEFAULT_ONLY_REFS, type PolicyDefinition, type PolicyFacts, policiesInclude } from './policy';
import type { RulesContext } from './rule-clauses';
import type { RuleWhen } from './rule-keywords';
import { rulesMessages as msg } from './rule-messages';
import type { RuleDefinition } from './rule-types';

/** The keys of a job that decide whether it is created, once validated. */
export interface JobInclusionKeys {
  /** Absent without `rules:`; null for `rules:` written without a value (no rule, yet no `only` default either). */
  readonly rules?: readonly RuleDefinition[] | null;
  readonly only?: PolicyDefinition;
  readonly except?: PolicyDefinition;
  /** The job's own `when:`: a matched rule without `when` takes it (`on_success` when unset). */
  readonly when?: Exclude<RuleWhen, 'never'>;
}

const EXCLUSIVE_WITH_RULES = ['only', 'except', 'start_in'];

/**
 * GitLab's `config key may not be used with \`rules\`` check on a job's written keys: `only`, `except` and `start_in`
 * (in the order written, keys set to `null` ignored) next to a `rules:` that has a value.
 */
export function rulesConflict(job: string, config: YamlMap): string | null {
  if ((config.get('rules') ?? null) === null) return null;
  const conflicting = [...config.keys()].filter((key) => EXCLUSIVE_WITH_RULES.includes(key) && config.get(key) !== null);
  return conflicting.length > 0 ? msg.usedWithRules(job, conflicting) : null;
}

/**
 * GitLab's `Processable#compose!`: `only` defaults to `[branches, tags]` (its `refs` completed by that default when
 * written without), unless the job has `rules:` or the configuration has `workflow:rules`; `except` has no default.
 */
export function effectivePolicies(
  job: JobInclusionKeys,
  hasWorkflowRules: boolean,
): { readonly only?: PolicyDefinition; readonly except?: PolicyDefinition } {
  const defaultOnly = job.rules === undefined && !hasWorkflowRules;
  const only = job.only ? { refs: DEFAULT_ONLY_REFS, ...job.only } : defaultOnly ? { refs: DEFAULT_ONLY_REFS } : undefined;
  return { ...(only ? { only } : {}), ...(job.except ? { except: job.except } : {}) };
}

/** GitLab's warning for a last rule that is only a `when` other than `never`, when there are no `workflow:rules`. */
export function rulesWarning(job: string, rules: readonly RuleDefinition[], hasWorkflowRules: boolean): string | null {
  const last = rules[rules.length - 1];
  const onlyWhen = last !== undefined && Object.keys(last).length === 1 && last.when !== undefined && last.when !== 'never';
  return !hasWorkflowRules && onlyWhen ? msg.multiplePipelinesWarning(job) : null;
}

/** Whether a job is created, and what its matched rule gives it. */
export interface JobInclusion {
  readonly included: boolean;
  /** The rules' result when the job uses rules. */
  readonly rules: RulesResult | null;
  /** Errors that fail pipeline creation, in GitLab's words (`Failed to parse rule for <job>: …`). */
  readonly errors: readonly string[];
}

/**
 * GitLab's `Seed::Build#included?`: a job with rules is included unless they give `never` (no match included); else
 * its effective `only`/`except` decide; a job with neither is included.
 */
export function evaluateJobInclusion(
  job: string,
  keys: JobInclusionKeys,
  hasWorkflowRules: boolean,
  facts: PolicyFacts,
  context: RulesContext,
): JobInclusion {
  if (keys.rules) {
    const result = evaluateRules(keys.rules, context, keys.when ?? 'on_success');
    const errors = result.errors.length > 0 ? [msg.ruleFailed(job, result.errors)] : [];
    return { included: result.when !== 'never', rules: result, errors };
  }
  const { only, except } = effectivePolicies(keys, hasWorkflowRules);
  try {
    return { included: policiesInclude(only, except, facts, context), rules: null, errors: [] };
  } catch (error) {
    if (!(error instanceof PatternBudgetError || error instanceof ExpressionError)) throw error;
    return { included: false, rules: null, errors: [msg.policyFailed(job, error.message)] };
  }
}
