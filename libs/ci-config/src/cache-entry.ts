import { checkOneOf } from './artifacts-entry';
import { CACHE_KEYWORDS, CACHE_KEY_KEYWORDS } from './execution-keywords';
import { ARTIFACTS_WHEN_VALUES } from './keywords';
import type { ArtifactsWhen } from './keywords';
import { ciConfigMessages as msg } from './messages';
import type { CacheDefinition, CacheKeyDefinition } from './types';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlValue, isMap, isSeq, isString, isStringArray, unknownKeys } from './values';

/** GitLab: `Caches::MULTIPLE_CACHE_LIMIT` (18's default `ci_max_caches_per_job`). */
export const MAX_CACHES = 4;
const MAX_FALLBACK_KEYS = 5;
const MAX_KEY_FILES = 2;
/** GitLab: `Cache::ALLOWED_POLICY`, unanchored: anything containing `pull`, `push` or `$` passes (the runner checks it). */
const ALLOWED_POLICY = /pull-push|push|pull|\$(?:\w{1,255})*/;

/**
 * `cache:` (GitLab: `Entry::Caches` of `Entry::Cache`): one hash or a list of up to 4. `Caches` has no key of its own,
 * so its errors read `…:caches config …` and each cache's `…:cache …`, as GitLab's do.
 */
export function parseCaches(value: YamlValue, jobLocation: string, problems: Problems): CacheDefinition[] | null {
  const location = jobLocation.replace(/cache$/, 'caches');
  if (!isMap(value) && !isSeq(value)) {
    problems.error(msg.cachesInvalid(location));
    return null;
  }
  if (isSeq(value) && value.length > MAX_CACHES) problems.error(msg.tooManyCaches(location));
  const before = problems.errors.length;
  const caches = (isSeq(value) ? value : [value]).map((cache) => parseCache(cache, jobLocation, problems));
  return problems.errors.length === before ? caches.filter((cache) => cache !== null) : null;
}

function parseCache(value: YamlValue, location: string, problems: Problems): CacheDefinition | null {
  if (!isMap(value)) {
    problems.error(v.hash(location));
    return null;
  }
  const extra = unknownKeys(value, CACHE_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const get = (key: string): YamlValue => value.get(key) ?? null;
  const policy = get('policy');
  if (policy !== null && policy !== '') {
    if (!isString(policy)) problems.error(v.string(location, 'policy'));
    if (!ALLOWED_POLICY.test(String(policy))) problems.error(msg.cachePolicy(location));
  }
  checkOneOf(get('when'), location, 'when', ARTIFACTS_WHEN_VALUES, problems);
  const fallbackKeys = get('fallback_keys');
  if (fallbackKeys !== null && !isStringArray(fallbackKeys)) problems.error(v.arrayOfStrings(`${location}:fallback_keys`));
  if (isSeq(fallbackKeys) && fallbackKeys.length > MAX_FALLBACK_KEYS) problems.error(msg.tooManyFallbackKeys(location, MAX_FALLBACK_KEYS));
  for (const flag of ['unprotect', 'untracked']) {
    if (get(flag) !== null && typeof get(flag) !== 'boolean') problems.error(v.boolean(`${location}:${flag}`));
  }
  const paths = get('paths');
  if (paths !== null && !isStringArray(paths)) problems.error(v.arrayOfStrings(`${location}:paths`));
  const key = value.has('key') ? parseKey(get('key'), `${location}:key`, problems) : 'default';
  if (key === null) return null;
  return {
    key,
    paths: isStringArray(paths) ? paths : null,
    untracked: typeof get('untracked') === 'boolean' ? (get('untracked') as boolean) : null,
    policy: isString(policy) && policy !== '' ? policy : 'pull-push',
    when: isString(get('when')) ? (get('when') as ArtifactsWhen) : 'on_success',
    unprotect: get('unprotect') === true,
    fallbackKeys: isStringArray(fallbackKeys) ? fallbackKeys : [],
  };
}

/** GitLab: `Entry::Key`, a string (no `/`, not `.` or `..`, even URL-encoded) or `{files: [1-2 paths], prefix}`. */
function parseKey(value: YamlValue, location: string, problems: Problems): CacheKeyDefinition | null {
  if (isString(value)) return checkKeyText(value, location, problems) ? value : null;
  if (!isMap(value)) {
    problems.error(msg.cacheKeyInvalid(location));
    return null;
  }
  const extra = unknownKeys(value, CACHE_KEY_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  if (!value.has('files')) problems.error(msg.missingKeys(location, ['files']));
  const files = value.get('files') ?? null;
  const filesLocation = `${location}:files`;
  if (value.has('files') && !isStringArray(files)) problems.error(v.arrayOfStrings(filesLocation));
  else if (isStringArray(files) && files.length < 1) problems.error(msg.keyFilesTooFew(filesLocation));
  else if (isStringArray(files) && files.length > MAX_KEY_FILES) problems.error(msg.keyFilesTooMany(filesLocation, MAX_KEY_FILES));
  const prefix = value.get('prefix') ?? null;
  const prefixValid = prefix === null || (isString(prefix) ? checkKeyText(prefix, `${location}:prefix`, problems) : false);
  if (prefix !== null && !isString(prefix)) problems.error(msg.cacheKeyText(`${location}:prefix`));
  if (!isStringArray(files) || files.length < 1 || files.length > MAX_KEY_FILES || extra.length > 0 || !prefixValid) return null;
  // GitLab strips leading slashes: the files are repository paths.
  return { files: files.map((file) => file.replace(/^\/+/, '')), prefix: isString(prefix) ? prefix : null };
}

function checkKeyText(key: string, location: string, problems: Problems): boolean {
  const decoded = decodeUrl(key);
  if (decoded.includes('/')) problems.error(msg.cacheKeySlash(location));
  else if (decoded === '.' || decoded === '..') problems.error(msg.cacheKeyDots(location));
  else return true;
  return false;
}

/** Ruby's `CGI.unescape`: `+` is a space, `%XX` a byte; malformed escapes stay as written. */
function decodeUrl(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}
