import { PatternEngine } from '../expressions/pattern-engine';
import { ciConfigMessages as base } from '../messages';
import { type Problems, type YamlValue, isMap, isSeq } from '../values';
import { parseRule } from './rule-entry';
import { RULES_LIMITS, type RulesOwner } from './rule-keywords';
import { rulesMessages as msg } from './rule-messages';
import type { RuleDefinition } from './rule-types';
import { flattenDeep, isRubyBlank } from './ruby-yaml-values';

/** Where GitLab reports a rules list: `jobs:<job>:rules`, `workflow:rules`, or `include:rules` (External::Rules). */
export function rulesLocation(owner: RulesOwner): string {
  return owner.kind === 'job' ? `jobs:${owner.name}:rules` : `${owner.kind}:rules`;
}

/**
 * A `rules:` list as GitLab 18 validates it, for a job, `workflow:` or an `include:` item: each owner has its own keys
 * and `when:` values (`RULE_KEYWORDS`, `RULE_WHEN_VALUES`). Lists nested by `!reference` are flattened. Null when
 * anything is wrong, the messages being in `problems` (for `include:`, GitLab shows only the first).
 *
 * `value` is what `rules:` holds; GitLab ignores a `rules:` key without a value, so pass none then. Regexes are
 * compiled on `engine`, which the caller shares with the evaluation of the same pipeline.
 */
export function parseRules(
  value: YamlValue,
  owner: RulesOwner,
  problems: Problems,
  engine: PatternEngine = new PatternEngine(),
): RuleDefinition[] | null {
  const location = rulesLocation(owner);
  if (owner.kind === 'job' && !isNestedRuleList(value, RULES_LIMITS.maxNesting)) {
    problems.error(msg.jobRulesShape(owner.name));
    return null;
  }
  const before = problems.errors.length;
  if (isRubyBlank(value)) problems.error(base.blank(location, 'config'));
  if (!isSeq(value)) problems.error(msg.notArray(location));
  if (problems.errors.length > before) return null;
  const rules = flattenDeep(value).map((rule) => parseRule(rule, owner.kind, `${location}:rule`, problems, engine));
  return problems.errors.length > before ? null : (rules as RuleDefinition[]);
}

/** GitLab's `nested_array_of_hashes_or_arrays` with `max_level`: hashes, in lists nested at most that deep. */
function isNestedRuleList(value: YamlValue, levels: number): boolean {
  if (!isSeq(value)) return false;
  return value.every((item) => isMap(item) || (levels > 1 && isNestedRuleList(item, levels - 1)));
}
