import { NEED_KEYWORDS } from './execution-keywords';
import { ciConfigMessages as msg } from './messages';
import type { NeedDefinition } from './types';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlMap, type YamlValue, isMap, isSeq, isString, isStringArray, unknownKeys } from './values';

/**
 * `needs:` (GitLab: `Entry::Needs` of `Entry::Need`): job names, or `{job, artifacts, optional}` hashes, nested lists
 * flattened; `[]` means "start at once". Whether the needed jobs exist and come no later is checked once every job is
 * known (`checkJobGraph`). Null when invalid (then reported).
 */
export function parseNeeds(value: YamlValue, location: string, problems: Problems): NeedDefinition[] | null {
  if (!isMap(value) && !isSeq(value)) {
    problems.error(msg.needsInvalid(location));
    return null;
  }
  if (isMap(value) && value.size === 0) {
    problems.error(msg.needsEmptyHash(location));
    return null;
  }
  const before = problems.errors.length;
  const needs = flatten(value).map((need) => parseNeed(need, `${location}:need`, problems));
  return problems.errors.length === before ? needs.filter((need) => need !== null) : null;
}

/** Ruby's `[config].flatten`. */
function flatten(value: YamlValue): YamlValue[] {
  return isSeq(value) ? value.flatMap(flatten) : [value];
}

function parseNeed(value: YamlValue, location: string, problems: Problems): NeedDefinition | null {
  if (isString(value)) {
    if (value !== '') return { job: value, artifacts: true, optional: false };
    problems.error(v.blank(location));
    return null;
  }
  if (!isMap(value) || !value.has('job')) {
    problems.error(msg.needUnsupported(location));
    return null;
  }
  return parseJobNeed(value, location, problems);
}

function parseJobNeed(value: YamlMap, location: string, problems: Problems): NeedDefinition | null {
  const before = problems.errors.length;
  const extra = unknownKeys(value, NEED_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const job = value.get('job') ?? null;
  if (!isString(job)) problems.error(v.string(location, 'job'));
  if (job === null || job === '') problems.error(v.blank(location, 'job'));
  const artifacts = value.get('artifacts') ?? null;
  const optional = value.get('optional') ?? null;
  if (artifacts !== null && typeof artifacts !== 'boolean') problems.error(v.boolean(location, 'artifacts'));
  if (optional !== null && typeof optional !== 'boolean') problems.error(v.boolean(location, 'optional'));
  if (problems.errors.length !== before || !isString(job)) return null;
  return { job, artifacts: artifacts !== false, optional: optional === true };
}

/**
 * `dependencies:` (GitLab: an array of strings on the job); with `needs`, each must be one of them. Null when not set
 * or invalid.
 */
export function parseDependencies(
  value: YamlValue,
  location: string,
  needs: readonly NeedDefinition[] | null,
  problems: Problems,
): string[] | null {
  if (!isStringArray(value)) {
    problems.error(v.arrayOfStrings(location, 'dependencies'));
    return null;
  }
  const needed = new Set((needs ?? []).map((need) => need.job));
  const missing = needs && needs.length > 0 ? value.filter((dependency) => !needed.has(dependency)) : [];
  if (missing.length > 0) problems.error(msg.dependenciesNotNeeded(location, missing));
  return [...value];
}
