import { parseArtifacts } from './artifacts-entry';
import { parseCaches } from './cache-entry';
import { parseCommands } from './commands';
import { parseTimeout } from './duration';
import { parseIdTokens } from './id-tokens-entry';
import { parseImage, parseServices } from './image-entry';
import { parseJwtClaims } from './jwt-claims-entry';
import { DEFAULT_KEYWORDS, INHERIT_KEYWORDS, LEGACY_DEFAULT_KEYWORDS } from './keywords';
import type { DefaultKeyword } from './keywords';
import { ciConfigMessages as msg } from './messages';
import { parseRetry } from './retry-entry';
import { parseInterruptible, parseTags } from './simple-entries';
import { Problems, type YamlMap, type YamlValue, isMap, isStringArray, unknownKeys } from './values';

/** How each inheritable keyword is read, at `default:`, at the top level (legacy) or in a job; null when invalid. */
export const INHERITABLE_ENTRIES = {
  before_script: parseCommands,
  after_script: parseCommands,
  cache: parseCaches,
  image: parseImage,
  services: parseServices,
  interruptible: parseInterruptible,
  timeout: parseTimeout,
  retry: parseRetry,
  tags: parseTags,
  artifacts: parseArtifacts,
  id_tokens: parseIdTokens,
  jwt_claims: parseJwtClaims,
} as const satisfies Record<DefaultKeyword, (value: YamlValue, location: string, problems: Problems) => unknown>;

/** `default:` parsed once; a key is absent when `default:` (or the legacy top-level key) does not set it. */
export type DefaultDefinition = {
  readonly [K in DefaultKeyword]?: ReturnType<(typeof INHERITABLE_ENTRIES)[K]>;
};

/** GitLab treats a key written without a value (`timeout:`) as not written. */
export function isSet(map: YamlMap, key: string): boolean {
  const value = map.get(key);
  return value !== undefined && value !== null;
}

/** Reads one inheritable keyword; `location` is where it was written (`default:image`, `image`, `jobs:x:image`). */
export function parseInheritable<K extends DefaultKeyword>(
  key: K,
  value: YamlValue,
  location: string,
  problems: Problems,
): ReturnType<(typeof INHERITABLE_ENTRIES)[K]> {
  const parse = INHERITABLE_ENTRIES[key] as (
    value: YamlValue,
    location: string,
    problems: Problems,
  ) => ReturnType<(typeof INHERITABLE_ENTRIES)[K]>;
  return parse(value, location, problems);
}

/**
 * `default:` and the legacy top-level `image`, `services`, `before_script`, `after_script`, `cache` (GitLab:
 * `Entry::Default#inherit!`): both feed the same defaults, and one key may not be set in both places.
 */
export function parseDefault(root: YamlMap, refusedKeywords: readonly string[], problems: Problems): DefaultDefinition {
  const value = root.get('default');
  const entries = new Map<DefaultKeyword, readonly [YamlValue, string]>();
  if (value !== undefined && value !== null && !isMap(value)) problems.error(msg.shouldBeHash('default'));
  if (isMap(value)) {
    const allowed = DEFAULT_KEYWORDS.filter((key) => !refusedKeywords.includes(key));
    const extra = unknownKeys(value, allowed);
    if (extra.length > 0) problems.error(msg.unknownKeys('default', extra));
    for (const key of allowed) if (isSet(value, key)) entries.set(key, [value.get(key) ?? null, `default:${key}`]);
  }
  for (const key of LEGACY_DEFAULT_KEYWORDS) {
    // A refused legacy key is refused at the top level already.
    if (!isSet(root, key) || refusedKeywords.includes(key)) continue;
    if (entries.has(key)) problems.error(msg.definedTwice(key));
    else entries.set(key, [root.get(key) ?? null, key]);
  }
  const defaults: { [K in DefaultKeyword]?: unknown } = {};
  for (const [key, [entry, location]] of entries) defaults[key] = parseInheritable(key, entry, location, problems);
  return defaults as DefaultDefinition;
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
