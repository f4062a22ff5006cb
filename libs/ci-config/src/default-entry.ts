import { parseTimeout } from './duration';
import { parseIdTokens } from './id-tokens-entry';
import { parseJwtClaims } from './jwt-claims-entry';
import { DEFAULT_KEYWORDS, INHERIT_KEYWORDS } from './keywords';
import type { DefaultKeyword } from './keywords';
import { ciConfigMessages as msg } from './messages';
import type { IdTokenDefinition, JwtClaimValue } from './types';
import { Problems, type YamlMap, type YamlValue, isMap, isStringArray, unknownKeys } from './values';

/** `default:` parsed once; a key is undefined when `default:` does not set it. */
export interface DefaultDefinition {
  readonly idTokens?: ReadonlyMap<string, IdTokenDefinition>;
  readonly timeoutSeconds?: number | null;
  readonly jwtClaims?: ReadonlyMap<string, JwtClaimValue>;
}

/** GitLab treats a key written without a value (`timeout:`) as not written. */
export function isSet(map: YamlMap, key: string): boolean {
  const value = map.get(key);
  return value !== undefined && value !== null;
}

export function parseDefault(value: YamlValue | undefined, problems: Problems): DefaultDefinition {
  if (value === undefined || value === null) return {};
  if (!isMap(value)) {
    problems.error(msg.shouldBeHash('default'));
    return {};
  }
  const extra = unknownKeys(value, DEFAULT_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys('default', extra));
  const entry = (key: string): YamlValue => value.get(key) ?? null;
  return {
    ...(isSet(value, 'id_tokens') ? { idTokens: parseIdTokens(entry('id_tokens'), 'default:id_tokens', problems) } : {}),
    ...(isSet(value, 'timeout') ? { timeoutSeconds: parseTimeout(entry('timeout'), 'default:timeout', problems) } : {}),
    ...(isSet(value, 'jwt_claims') ? { jwtClaims: parseJwtClaims(entry('jwt_claims'), 'default:jwt_claims', problems) } : {}),
  };
}

/** `true` (everything), `false` (nothing) or the names to inherit. */
export type InheritRule = boolean | readonly string[];

export interface InheritRules {
  readonly default: InheritRule;
  readonly variables: InheritRule;
}

export function inherits(rule: InheritRule, key: string): boolean {
  return rule === true || (Array.isArray(rule) && rule.includes(key));
}

/** A job's `inherit:` (GitLab: `Entry::Inherit`): `default:` and `variables:`, each a boolean or a list. */
export function parseInherit(value: YamlValue | undefined, location: string, problems: Problems): InheritRules {
  if (value === undefined || value === null) return { default: true, variables: true };
  if (!isMap(value)) {
    problems.error(msg.shouldBeHash(location));
    return { default: true, variables: true };
  }
  const extra = unknownKeys(value, INHERIT_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  return {
    default: parseRule(value.get('default'), `${location}:default`, DEFAULT_KEYWORDS, problems),
    variables: parseRule(value.get('variables'), `${location}:variables`, null, problems),
  };
}

function parseRule(
  value: YamlValue | undefined,
  location: string,
  allowed: readonly DefaultKeyword[] | null,
  problems: Problems,
): InheritRule {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (!Array.isArray(value)) {
    problems.error(msg.inheritInvalid(location));
    return true;
  }
  if (!isStringArray(value)) {
    problems.error(msg.inheritNotStrings(location));
    return true;
  }
  const unknown = allowed ? value.filter((item) => !(allowed as readonly string[]).includes(item)) : [];
  if (unknown.length > 0) problems.error(msg.inheritUnknownValues(location, unknown));
  return value;
}
