import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { checkClaimName } from './reserved-claims';
import { hasControlOrBidiCharacters } from './text-rules';
import type { JwtClaimValue } from './types';
import { Problems, type YamlValue, isMap, isSeq } from './values';

export type ClaimValueProblem = 'not_string' | 'not_string_or_array' | 'control_characters' | 'too_long' | 'too_many_entries';

/**
 * Why `value` cannot be a custom claim value, or null when it can: a string or an array of strings, no control or
 * bidi characters, within the size limits. Takes YAML or JSON data, so the API's claim settings share the rule.
 */
export function checkClaimValue(value: unknown): ClaimValueProblem | null {
  if (typeof value === 'string') return checkClaimString(value);
  if (Array.isArray(value)) {
    if (value.length > LIMITS.maxClaimValueEntries) return 'too_many_entries';
    for (const item of value as unknown[]) {
      const problem = typeof item === 'string' ? checkClaimString(item) : scalarOrNot(item);
      if (problem) return problem;
    }
    return null;
  }
  return scalarOrNot(value);
}

function checkClaimString(value: string): ClaimValueProblem | null {
  if (value.length > LIMITS.maxClaimValueLength) return 'too_long';
  return hasControlOrBidiCharacters(value) ? 'control_characters' : null;
}

/** An unquoted `012345`, `yes` or `1e3` is a number or boolean to YAML: the writer meant a string. */
function scalarOrNot(value: unknown): ClaimValueProblem {
  return value === null || typeof value === 'number' || typeof value === 'boolean' ? 'not_string' : 'not_string_or_array';
}

/** The lint message for each claim-value problem; the token builder reports the same problems in the same words. */
export const CLAIM_VALUE_MESSAGES: Record<ClaimValueProblem, (location: string) => string> = {
  not_string: msg.claimNotString,
  not_string_or_array: msg.claimNotStringOrArray,
  control_characters: msg.claimControl,
  too_long: msg.claimTooLong,
  too_many_entries: msg.claimTooManyEntries,
};

/** `jwt_claims:` of a job or of `default:`: a map, or a list of one-key maps (`- team: x`). */
export function parseJwtClaims(value: YamlValue, location: string, problems: Problems): Map<string, JwtClaimValue> {
  const claims = new Map<string, JwtClaimValue>();
  const pairs = claimPairs(value);
  if (pairs === null) {
    problems.error(msg.claimsInvalid(location));
    return claims;
  }
  if (pairs.length > LIMITS.maxClaimsPerJob) problems.error(msg.claimsTooMany(location));
  const seen = new Set<string>();
  for (const [name, claim] of pairs) {
    if (seen.has(name)) {
      problems.error(msg.claimDuplicate(location, name));
      continue;
    }
    seen.add(name);
    const nameProblem = checkClaimName(name);
    if (nameProblem) {
      problems.error(nameProblem === 'reserved' ? msg.claimReserved(location, name) : msg.claimInvalidName(location, name));
      continue;
    }
    const valueProblem = checkClaimValue(claim);
    if (valueProblem) problems.error(CLAIM_VALUE_MESSAGES[valueProblem](`${location}:${name}`));
    else claims.set(name, claim as JwtClaimValue);
  }
  return claims;
}

function claimPairs(value: YamlValue): Array<readonly [string, YamlValue]> | null {
  if (isMap(value)) return [...value];
  if (!isSeq(value)) return null;
  const pairs: Array<readonly [string, YamlValue]> = [];
  for (const item of value) {
    if (!isMap(item) || item.size !== 1) return null;
    pairs.push(...item); // a single pair
  }
  return pairs;
}
