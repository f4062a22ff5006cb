import { RETRY_KEYWORDS, RETRY_WHEN_VALUES } from './execution-keywords';
import { ciConfigMessages as msg } from './messages';
import type { RetryDefinition } from './types';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlValue, isMap, isString, isStringArray, unknownKeys } from './values';
import { parseExitCodes } from './when-entry';

/** GitLab's `Retry` entries override their location: messages read `retry …`, with no job path. */
const LOCATION = 'retry';
const MAX_RETRIES = 2;

/**
 * `retry:` (GitLab: `Entry::Retry`): 0 to 2, or `{max, when, exit_codes}`; `when` defaults to `always`. Null when it
 * is not set or invalid (then reported).
 */
export function parseRetry(value: YamlValue, _location: string, problems: Problems): RetryDefinition | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return checkMax(value, 'config', problems) ? { max: value, when: ['always'], exitCodes: [] } : null;
  }
  if (!isMap(value)) {
    problems.error(msg.retryInvalid());
    return null;
  }
  const before = problems.errors.length;
  const extra = unknownKeys(value, RETRY_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(LOCATION, extra));
  const max = value.get('max') ?? null;
  const maxValue = max === null ? 0 : retryCount(max, problems);
  const when = value.get('when') ?? null;
  const whenValues = when === null ? ['always'] : isString(when) ? [when] : isStringArray(when) ? when : null;
  if (whenValues === null) problems.error(v.arrayOfStringsOrString(LOCATION, 'when'));
  const unknown = (whenValues ?? []).filter((reason) => !(RETRY_WHEN_VALUES as readonly string[]).includes(reason));
  if (unknown.length > 0) problems.error(isString(when) ? v.notInList(LOCATION, 'when') : v.unknownValues(LOCATION, 'when', unknown));
  const exitCodes = parseExitCodes(value.get('exit_codes') ?? null, LOCATION, problems);
  if (problems.errors.length !== before || maxValue === null || whenValues === null) return null;
  return { max: maxValue, when: whenValues, exitCodes: exitCodes ?? [] };
}

/** `max:` as ActiveModel's numericality reads it: integers, and strings that spell one. */
function retryCount(max: YamlValue, problems: Problems): number | null {
  const number = typeof max === 'number' ? max : isString(max) && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(max) ? Number(max) : null;
  if (number === null) problems.error(v.notANumber(LOCATION, 'max'));
  else if (!Number.isInteger(number)) problems.error(v.integer(LOCATION, 'max'));
  else if (checkMax(number, 'max', problems)) return number;
  return null;
}

function checkMax(count: number, attribute: string, problems: Problems): boolean {
  if (count < 0) problems.error(v.atLeast(LOCATION, attribute, 0));
  else if (count > MAX_RETRIES) problems.error(v.atMost(LOCATION, attribute, MAX_RETRIES));
  else return true;
  return false;
}
