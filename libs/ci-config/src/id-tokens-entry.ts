import { ID_TOKEN_KEYWORDS } from './keywords';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { hasControlOrBidiCharacters, isValidJobVariableName } from './text-rules';
import type { IdTokenDefinition } from './types';
import { Problems, type YamlValue, isMap, isString, isStringArray, unknownKeys } from './values';

/**
 * `id_tokens:` of a job or of `default:` (GitLab: `Entry::IdToken` in a `ComposableHash`), plus Lanyard's rules:
 * a non-empty audience (RFC 8725 §3.9), variable-safe names that shadow no predefined variable, and size limits.
 * Every token is returned, even an invalid one, so that `secrets:token` is checked against the names written.
 */
export function parseIdTokens(value: YamlValue, location: string, problems: Problems): Map<string, IdTokenDefinition> {
  const tokens = new Map<string, IdTokenDefinition>();
  if (!isMap(value)) {
    problems.error(msg.shouldBeHash(location));
    return tokens;
  }
  if (value.size > LIMITS.maxIdTokensPerJob) problems.error(msg.tooManyIdTokens(location));
  for (const [name, config] of value) {
    const at = `${location}:${name}`;
    if (!isValidJobVariableName(name)) problems.error(msg.invalidVariableName(at));
    // GitLab reads a non-hash entry as one without keys.
    const entry = isMap(config) ? config : new Map<string, YamlValue>();
    if (!entry.has('aud')) problems.error(msg.idTokenMissingAud(at));
    const extra = unknownKeys(entry, ID_TOKEN_KEYWORDS);
    if (extra.length > 0) problems.error(msg.idTokenUnknownKeys(at, extra));
    const aud = entry.get('aud');
    if (isString(aud) || isStringArray(aud)) {
      for (const problem of audienceProblems(aud, at)) problems.error(problem);
      tokens.set(name, { aud });
    } else {
      problems.error(msg.idTokenAudType(at));
      tokens.set(name, { aud: '' });
    }
  }
  return tokens;
}

function audienceProblems(aud: string | readonly string[], at: string): Set<string> {
  const found = new Set<string>();
  const entries = isString(aud) ? [aud] : aud;
  if (entries.length === 0) found.add(msg.idTokenAudEmpty(at));
  if (entries.length > LIMITS.maxAudEntries) found.add(msg.idTokenAudTooMany(at));
  for (const entry of entries) {
    if (entry === '') found.add(msg.idTokenAudEmpty(at));
    if (entry.length > LIMITS.maxAudLength) found.add(msg.idTokenAudTooLong(at));
    if (hasControlOrBidiCharacters(entry)) found.add(msg.idTokenAudControl(at));
  }
  return found;
}
