import { RE2JS } from 're2js';
import { ciConfigMessages as msg } from './messages';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlValue, isString, isStringArray } from './values';

/** GitLab: `Entry::Tags::TAGS_LIMIT`; a job may have fewer than this many tags. */
export const TAGS_LIMIT = 50;
/** GitLab: `Gitlab::UntrustedRegexp::RubySyntax::PATTERN`: `/regexp/flags`. */
const RUBY_REGEXP = /^\/([\s\S]*)\/([ismU]*)$/;

/** `tags:` (GitLab: `Entry::Tags`): a list of strings, fewer than 50. */
export function parseTags(value: YamlValue, location: string, problems: Problems): string[] | null {
  if (!isStringArray(value)) {
    problems.error(v.arrayOfStrings(location));
    return null;
  }
  if (value.length >= TAGS_LIMIT) {
    problems.error(msg.tooManyTags(location));
    return null;
  }
  return [...value];
}

/** `interruptible:` (GitLab: `Entry::Boolean`). */
export function parseInterruptible(value: YamlValue, location: string, problems: Problems): boolean | null {
  if (typeof value === 'boolean') return value;
  problems.error(v.boolean(location));
  return null;
}

/** `resource_group:` (GitLab: `validates :resource_group, type: String` on the job). */
export function parseResourceGroup(value: YamlValue, jobLocation: string, problems: Problems): string | null {
  if (isString(value)) return value;
  problems.error(v.string(jobLocation, 'resource group'));
  return null;
}

/**
 * `coverage:` (GitLab: `Entry::Coverage`): `/regexp/` with optional `i`, `s`, `m`, `U` flags, checked against RE2's
 * syntax (re2js, linear time: a user pattern never reaches a backtracking engine). The value is the pattern without
 * its slashes, flags folded in as `(?i)`, so it can be compiled as is.
 */
export function parseCoverage(value: YamlValue, location: string, problems: Problems): string | null {
  const match = isString(value) ? RUBY_REGEXP.exec(value) : null;
  const pattern = match ? (match[2] ? `(?${match[2]})${match[1]}` : match[1]) : null;
  if (pattern !== null && isRe2(pattern)) return pattern;
  problems.error(msg.coverageInvalid(location));
  return null;
}

function isRe2(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}
