import { ciConfigMessages as base } from '../messages';
import { type Problems, type YamlMap, type YamlValue, isMap, isSeq, isStringArray, unknownKeys } from '../values';
import { RULES_LIMITS, RULE_CHANGES_KEYWORDS, RULE_EXISTS_KEYWORDS, type RulesOwnerKind } from './rule-keywords';
import { rulesMessages as msg } from './rule-messages';
import type { RuleChanges, RuleExists } from './rule-types';
import { isRubyBlank, rubyLength } from './ruby-yaml-values';

/** `rules:changes` (GitLab's `Entry::Rules::Rule::Changes`): a list of paths, or `{ paths, compare_to }`. */
export function parseRuleChanges(value: YamlValue, location: string, problems: Problems): RuleChanges | null {
  const before = problems.errors.length;
  let changes: RuleChanges | null = null;
  if (isSeq(value)) {
    checkPaths(value, location, 'config', problems);
    changes = { paths: value as readonly string[] };
  } else if (isMap(value)) {
    checkKeys(value, RULE_CHANGES_KEYWORDS, location, problems);
    const paths = value.get('paths') ?? null;
    checkPaths(paths, location, 'paths', problems);
    const compareTo = value.get('compare_to') ?? null;
    if (compareTo !== null && typeof compareTo !== 'string') problems.error(base.shouldBeString(location, 'compare to'));
    changes = { paths: (paths ?? []) as readonly string[], ...(typeof compareTo === 'string' ? { compareTo } : {}) };
  } else {
    problems.error(msg.changesShape(location));
  }
  return problems.errors.length > before ? null : changes;
}

/**
 * `rules:exists` (GitLab's `Entry::Rules::Rule::Exists`): a path, a list of paths, or `{ paths, project, ref }`.
 * Anything blank (`""` aside) is an empty list, which never matches; `include:` lists have no length limit.
 */
export function parseRuleExists(value: YamlValue, location: string, owner: RulesOwnerKind, problems: Problems): RuleExists | null {
  const before = problems.errors.length;
  let exists: RuleExists | null = null;
  if (typeof value === 'string') {
    exists = { paths: [value] };
  } else if (isSeq(value)) {
    if (owner === 'include' && !isStringArray(value)) problems.error(msg.notStringList(location, 'config'));
    if (owner !== 'include') checkPaths(value, location, 'config', problems);
    exists = { paths: value as readonly string[] };
  } else if (isRubyBlank(value)) {
    exists = { paths: [] };
  } else if (isMap(value)) {
    exists = parseComplexExists(value, location, problems);
  } else {
    problems.error(msg.existsShape(location));
  }
  return problems.errors.length > before ? null : exists;
}

function parseComplexExists(value: YamlMap, location: string, problems: Problems): RuleExists {
  checkKeys(value, RULE_EXISTS_KEYWORDS, location, problems);
  const ref = value.get('ref') ?? null;
  if (ref !== null && !value.has('project')) problems.error(base.missingKeys(location, ['project']));
  const paths = value.get('paths') ?? null;
  if (paths !== null) checkPaths(paths, location, 'paths', problems);
  const project = value.get('project') ?? null;
  for (const [attribute, item] of [
    ['project', project],
    ['ref', ref],
  ] as const) {
    if (item !== null && typeof item !== 'string') problems.error(base.shouldBeString(location, attribute));
  }
  return {
    paths: (paths ?? []) as readonly string[],
    ...(typeof project === 'string' ? { project } : {}),
    ...(typeof ref === 'string' ? { ref } : {}),
  };
}

/** GitLab's `array_of_strings` and `length: { maximum: 50 }`, which each report on their own. */
function checkPaths(paths: YamlValue, location: string, attribute: string, problems: Problems): void {
  if (!isStringArray(paths)) problems.error(msg.notStringList(location, attribute));
  if (rubyLength(paths) > RULES_LIMITS.maxPaths) problems.error(msg.tooManyPaths(location, attribute));
}

/** GitLab's `allowed_keys` then `required_keys: paths`. */
function checkKeys(value: YamlMap, allowed: readonly string[], location: string, problems: Problems): void {
  const extra = unknownKeys(value, allowed);
  if (extra.length > 0) problems.error(base.unknownKeys(location, extra));
  if (!value.has('paths')) problems.error(base.missingKeys(location, ['paths']));
}
