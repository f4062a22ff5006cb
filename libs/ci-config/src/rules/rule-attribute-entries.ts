import { ciConfigMessages as base } from '../messages';
import { type Problems, type YamlValue, isMap, isSeq, ownRecord, unknownKeys } from '../values';
import { AUTO_CANCEL_KEYWORDS, AUTO_CANCEL_ON_JOB_FAILURE, AUTO_CANCEL_ON_NEW_COMMIT, RULE_NEED_KEYWORDS } from './rule-keywords';
import { rulesMessages as msg } from './rule-messages';
import type { AutoCancel, RuleNeed } from './rule-types';
import { flattenDeep, isRubyBlank } from './ruby-yaml-values';

/**
 * `rules:variables` (GitLab's `Entry::Variables` without value data): `NAME: scalar`, kept as Ruby's `to_s`. A
 * hash is refused ("must be a string"): rules take no `value`/`description` form.
 */
export function parseRuleVariables(value: YamlValue, location: string, problems: Problems): Record<string, string> | null {
  if (!isMap(value)) {
    problems.error(base.shouldBeHash(location));
    return null;
  }
  const before = problems.errors.length;
  const variables = new Map<string, string>();
  for (const [name, definition] of value) {
    const at = `${location}:${name}`;
    if (definition === null || isMap(definition)) problems.error(msg.variableNotString(at));
    else if (isSeq(definition)) problems.error(base.variableDefinition(at));
    else variables.set(name, String(definition));
  }
  return problems.errors.length > before ? null : ownRecord(variables);
}

/**
 * `rules:needs` (GitLab's `Entry::Needs` with `allowed_needs: [job]`): job names or `{ job, artifacts, optional }`.
 * Needs on another pipeline's jobs are refused; `needs:parallel` is not implemented (an unknown key).
 */
export function parseRuleNeeds(value: YamlValue, location: string, problems: Problems): RuleNeed[] | null {
  if (!isSeq(value) && !isMap(value)) {
    problems.error(msg.needsShape(location));
    return null;
  }
  if (isMap(value) && value.size === 0) {
    problems.error(msg.needsEmptyHash(location));
    return null;
  }
  const before = problems.errors.length;
  const itemErrors: string[] = [];
  const itemProblems = { error: (message: string) => itemErrors.push(message) };
  let crossPipeline = false;
  const needs: RuleNeed[] = [];
  for (const item of flattenDeep(value)) {
    const at = `${location}:need`;
    if (typeof item === 'string') {
      if (isRubyBlank(item)) itemProblems.error(base.blank(at, 'config'));
      needs.push({ job: item, artifacts: true, optional: false });
    } else if (isMap(item) && item.has('job') && !['project', 'ref', 'pipeline'].some((key) => item.has(key))) {
      const need = parseJobNeed(item, at, itemProblems);
      if (need) needs.push(need);
    } else if (isMap(item) && item.has('job') && item.has('pipeline') && !item.has('project')) {
      crossPipeline = true;
    } else {
      itemProblems.error(msg.needUnsupported(at));
    }
  }
  // GitLab checks the types once the items are composed, and reports that before the items' own errors.
  if (crossPipeline) problems.error(msg.needsInvalidTypes(location, ['cross_dependency']));
  itemErrors.forEach((error) => problems.error(error));
  return problems.errors.length > before ? null : needs;
}

function parseJobNeed(item: ReadonlyMap<string, YamlValue>, at: string, problems: Pick<Problems, 'error'>): RuleNeed | null {
  const extra = unknownKeys(item, RULE_NEED_KEYWORDS);
  if (extra.length > 0) problems.error(base.unknownKeys(at, extra));
  const job = item.get('job') ?? null;
  if (typeof job !== 'string') problems.error(base.shouldBeString(at, 'job'));
  if (isRubyBlank(job)) problems.error(base.blank(at, 'job'));
  const flags = { artifacts: item.get('artifacts') ?? null, optional: item.get('optional') ?? null };
  for (const [attribute, flag] of Object.entries(flags)) {
    if (flag !== null && typeof flag !== 'boolean') problems.error(msg.notBoolean(at, attribute));
  }
  if (typeof job !== 'string') return null;
  return { job, artifacts: flags.artifacts !== false, optional: flags.optional === true };
}

/** `auto_cancel:` (GitLab's `Entry::AutoCancel`), in `workflow:` and its rules. */
export function parseAutoCancel(value: YamlValue, location: string, problems: Problems): AutoCancel | null {
  if (!isMap(value)) {
    problems.error(base.shouldBeHash(location));
    return null;
  }
  const before = problems.errors.length;
  const extra = unknownKeys(value, AUTO_CANCEL_KEYWORDS);
  if (extra.length > 0) problems.error(base.unknownKeys(location, extra));
  const choice = (key: string, attribute: string, allowed: readonly string[]): string | undefined => {
    const setting = value.get(key) ?? null;
    if (setting === null) return undefined;
    if (typeof setting !== 'string') problems.error(base.shouldBeString(location, attribute));
    if (typeof setting !== 'string' || !allowed.includes(setting)) problems.error(msg.notOneOf(location, attribute, allowed));
    return String(setting);
  };
  const onNewCommit = choice('on_new_commit', 'on new commit', AUTO_CANCEL_ON_NEW_COMMIT);
  const onJobFailure = choice('on_job_failure', 'on job failure', AUTO_CANCEL_ON_JOB_FAILURE);
  if (problems.errors.length > before) return null;
  return {
    ...(onNewCommit ? { onNewCommit: onNewCommit as AutoCancel['onNewCommit'] } : {}),
    ...(onJobFailure ? { onJobFailure: onJobFailure as AutoCancel['onJobFailure'] } : {}),
  };
}
