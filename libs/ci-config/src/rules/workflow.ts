import { PatternEngine } from '../expressions/pattern-engine';
import { ciConfigMessages as base } from '../messages';
import { type Problems, type YamlValue, isMap, unknownKeys } from '../values';
import { type RulesResult, evaluateRules } from './evaluate-rules';
import { expandExisting, expandVariables } from './expand-variables';
import { parseRules } from './parse-rules';
import { parseAutoCancel } from './rule-attribute-entries';
import type { RulesContext } from './rule-clauses';
import { rulesMessages as msg } from './rule-messages';
import type { AutoCancel, RuleDefinition } from './rule-types';
import { isRubyBlank } from './ruby-yaml-values';

export const WORKFLOW_KEYWORDS = ['rules', 'name', 'auto_cancel'] as const;
const NAME_MAX_LENGTH = 255;

/** A validated `workflow:`. */
export interface WorkflowDefinition {
  /** Absent when there are no rules to evaluate. */
  readonly rules?: readonly RuleDefinition[];
  /** Whether `rules:` is written at all, even without a value: that alone drops every job's `only`/`except` default. */
  readonly hasRules: boolean;
  /** `workflow:name` as written; `$VARIABLES` expand when the pipeline is created. */
  readonly name?: string;
  readonly autoCancel?: AutoCancel;
}

/**
 * `workflow:` as GitLab 18 validates it (`Entry::Workflow`): `rules` (`when` only `always` or `never`), `name` (1 to
 * 255 characters) and `auto_cancel`. The nested entries are checked once the keys are valid. Null when anything is
 * wrong; no `workflow:` (or one without a value) is an empty definition.
 */
export function parseWorkflow(
  value: YamlValue | undefined,
  problems: Problems,
  engine: PatternEngine = new PatternEngine(),
): WorkflowDefinition | null {
  if (value === undefined || value === null) return { hasRules: false };
  if (!isMap(value)) {
    problems.error(base.shouldBeHash('workflow'));
    return null;
  }
  const before = problems.errors.length;
  const extra = unknownKeys(value, WORKFLOW_KEYWORDS);
  if (extra.length > 0) problems.error(base.unknownKeys('workflow', extra));
  const name = value.get('name') ?? null;
  if (name !== null && typeof name !== 'string') problems.error(base.shouldBeString('workflow', 'name'));
  if (typeof name === 'string' && name.length === 0) problems.error(msg.workflowNameTooShort());
  if (typeof name === 'string' && [...name].length > NAME_MAX_LENGTH) problems.error(msg.workflowNameTooLong());
  if (problems.errors.length > before) return null;

  const rulesValue = value.get('rules') ?? null;
  const rules = rulesValue === null ? undefined : parseRules(rulesValue, { kind: 'workflow' }, problems, engine);
  const autoCancelValue = value.get('auto_cancel') ?? null;
  const autoCancel = autoCancelValue === null ? undefined : parseAutoCancel(autoCancelValue, 'workflow:auto_cancel', problems);
  if (rules === null || autoCancel === null) return null;
  return {
    hasRules: value.has('rules'),
    ...(rules ? { rules } : {}),
    ...(typeof name === 'string' ? { name } : {}),
    ...(autoCancel ? { autoCancel } : {}),
  };
}

/** Whether the pipeline is created, and what `workflow:` gives it. */
export interface WorkflowResult {
  readonly created: boolean;
  /** When not created: GitLab's message first, then (Lanyard) what stopped the rules, if anything did. */
  readonly errors: readonly string[];
  /** The matched rule's variables: they override the root YAML variables for the whole pipeline. */
  readonly variables: Readonly<Record<string, string>>;
  /** The pipeline's name (`CI_PIPELINE_NAME`), or null. */
  readonly name: string | null;
  /** `workflow:auto_cancel`, overridden key by key by the matched rule's. */
  readonly autoCancel: AutoCancel;
}

/**
 * GitLab's `Chain::EvaluateWorkflowRules` then `Chain::PopulateMetadata`: the pipeline is created unless the rules
 * end in `never` or match nothing ("Pipeline filtered out by workflow rules."). The name expands with
 * `context.expandedVariables` and the matched rule's variables, then is stripped; a blank name is no name.
 */
export function evaluateWorkflow(workflow: WorkflowDefinition, context: RulesContext): WorkflowResult {
  const result: RulesResult = evaluateRules(workflow.rules, context, 'always');
  const variables = result.variables ?? {};
  const autoCancel = { ...workflow.autoCancel, ...result.autoCancel };
  if (result.when === 'never') {
    return { created: false, errors: [msg.workflowFiltered(), ...result.errors], variables, name: null, autoCancel };
  }
  const ruleVariables = Object.entries(variables).map(([key, value]) => [key, expandExisting(value, context.expandedVariables)]);
  const name =
    workflow.name === undefined
      ? null
      : pipelineName(workflow.name, { ...context.expandedVariables, ...Object.fromEntries(ruleVariables) });
  if (name !== null && [...name].length > NAME_MAX_LENGTH) {
    return { created: false, errors: [msg.pipelineNameTooLong()], variables, name: null, autoCancel };
  }
  return { created: true, errors: [], variables, name, autoCancel };
}

// Ruby's `strip`: ASCII whitespace and NUL.
const STRIP = /^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g;

function pipelineName(template: string, variables: Readonly<Record<string, string>>): string | null {
  if (isRubyBlank(template)) return null;
  const name = expandVariables(template, variables);
  return isRubyBlank(name) ? null : name.replace(STRIP, '');
}
