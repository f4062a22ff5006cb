import { parseDuration } from '../duration';
import type { PatternEngine } from '../expressions/pattern-engine';
import { ciConfigMessages as base } from '../messages';
import { Problems, type YamlMap, type YamlValue, isMap, unknownKeys } from '../values';
import { checkExpression } from './expression-entry';
import { parseAutoCancel, parseRuleNeeds, parseRuleVariables } from './rule-attribute-entries';
import { parseRuleChanges, parseRuleExists } from './rule-clause-entries';
import { RULES_LIMITS, RULE_KEYWORDS, RULE_WHEN_VALUES, type RuleWhen, type RulesOwnerKind } from './rule-keywords';
import { rulesMessages as msg } from './rule-messages';
import type { RuleDefinition } from './rule-types';
import { isRubyBlank, rubyToString } from './ruby-yaml-values';

/**
 * One rule: GitLab's `Entry::Rules::Rule` for jobs and `workflow:`, `Entry::Include::Rules::Rule` for `include:`.
 * Messages come in GitLab's order; as in GitLab, the nested entries (`changes`, `exists`, `variables`, `needs`,
 * `auto_cancel`) are only checked once the rule's own keys are valid. Keys written as `null` are dropped.
 */
export function parseRule(
  value: YamlValue,
  owner: RulesOwnerKind,
  location: string,
  problems: Problems,
  engine: PatternEngine,
): RuleDefinition | null {
  const own = new Problems();
  if (!isMap(value)) {
    own.error(base.shouldBeHash(location));
    if (isRubyBlank(value)) own.error(base.blank(location, 'config'));
  } else if (owner === 'include') {
    checkIncludeRule(value, location, own, engine);
  } else {
    checkRule(value, owner, location, own, engine);
  }
  own.errors.forEach((error) => problems.error(error));
  if (own.errors.length > 0 || !isMap(value)) return null;
  return composeRule(value, location, problems, owner);
}

function checkRule(rule: YamlMap, owner: 'job' | 'workflow', location: string, problems: Problems, engine: PatternEngine): void {
  if (rule.size === 0) problems.error(base.blank(location, 'config'));
  if (rule.get('when') === 'delayed') checkStartIn(rule.get('start_in'), location, problems);
  else if (rule.has('start_in')) problems.error(msg.disallowedStartIn(location));
  checkIf(rule, location, problems, engine);
  for (const [key, attribute] of [
    ['allow_failure', 'allow failure'],
    ['interruptible', 'interruptible'],
  ]) {
    const flag = rule.get(key);
    if (flag !== undefined && flag !== null && typeof flag !== 'boolean') problems.error(msg.notBoolean(location, attribute));
  }
  checkWhen(rule, owner, location, problems);
  checkKeys(rule, owner, location, problems);
}

/** `Entry::Include::Rules::Rule` validates fewer things, in another order. */
function checkIncludeRule(rule: YamlMap, location: string, problems: Problems, engine: PatternEngine): void {
  if (rule.size === 0) problems.error(base.blank(location, 'config'));
  checkKeys(rule, 'include', location, problems);
  checkIf(rule, location, problems, engine);
  checkWhen(rule, 'include', location, problems);
}

function checkStartIn(startIn: YamlValue | undefined, location: string, problems: Problems): void {
  if (isRubyBlank(startIn)) problems.error(msg.startInBlank(location));
  const seconds = typeof startIn === 'string' ? parseDuration(startIn) : null;
  if (seconds === null) problems.error(msg.startInDuration(location));
  if (seconds === null || seconds > RULES_LIMITS.maxStartInSeconds) problems.error(msg.startInLimit(location));
}

function checkIf(rule: YamlMap, location: string, problems: Problems, engine: PatternEngine): void {
  const expression = rule.get('if');
  if (expression !== undefined && expression !== null) checkExpression(expression, location, 'if', problems, engine);
}

function checkWhen(rule: YamlMap, owner: RulesOwnerKind, location: string, problems: Problems): void {
  const when = rule.get('when');
  const allowed: readonly string[] = RULE_WHEN_VALUES[owner];
  if (when !== undefined && when !== null && !allowed.includes(rubyToString(when))) {
    problems.error(msg.unknownValue(location, 'when', rubyToString(when)));
  }
}

function checkKeys(rule: YamlMap, owner: RulesOwnerKind, location: string, problems: Problems): void {
  const extra = unknownKeys(rule, RULE_KEYWORDS[owner]);
  if (extra.length > 0) problems.error(base.unknownKeys(location, extra));
}

type MutableRule = { -readonly [Key in keyof RuleDefinition]: RuleDefinition[Key] };

/** The rule's value once its own keys are valid, checking the nested entries in GitLab's order. */
function composeRule(rule: YamlMap, location: string, problems: Problems, owner: RulesOwnerKind): RuleDefinition | null {
  const before = problems.errors.length;
  const written = (key: string): YamlValue | null => rule.get(key) ?? null;
  const nested = <T>(key: string, parse: (value: YamlValue, at: string) => T | null): T | null => {
    const value = written(key);
    return value === null ? null : parse(value, `${location}:${key}`);
  };
  const changes = nested('changes', (value, at) => parseRuleChanges(value, at, problems));
  const exists = nested('exists', (value, at) => parseRuleExists(value, at, owner, problems));
  const variables = nested('variables', (value, at) => parseRuleVariables(value, at, problems));
  const needs = nested('needs', (value, at) => parseRuleNeeds(value, at, problems));
  const autoCancel = nested('auto_cancel', (value, at) => parseAutoCancel(value, at, problems));
  if (problems.errors.length > before) return null;

  // Every value below was checked above. Clauses keep the order written: GitLab evaluates them in that order.
  const clauses = { if: written('if') as string | null, changes, exists };
  const definition: MutableRule = {};
  for (const key of rule.keys()) {
    if (key === 'if' && clauses.if !== null) definition.if = clauses.if;
    if (key === 'changes' && changes) definition.changes = changes;
    if (key === 'exists' && exists) definition.exists = exists;
  }
  if (typeof written('when') === 'string') definition.when = written('when') as RuleWhen;
  if (typeof written('start_in') === 'string') definition.startIn = written('start_in') as string;
  if (typeof written('allow_failure') === 'boolean') definition.allowFailure = written('allow_failure') as boolean;
  if (typeof written('interruptible') === 'boolean') definition.interruptible = written('interruptible') as boolean;
  if (variables) definition.variables = variables;
  if (needs) definition.needs = needs;
  if (autoCancel) definition.autoCancel = autoCancel;
  return definition;
}
