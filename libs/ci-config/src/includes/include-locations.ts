import { RE2JS } from 're2js';
import type { ExpressionVariables } from '../expressions/evaluate';
import { YamlReference } from '../reference-tag';
import { expandVariables } from '../rules/expand-variables';
import { rubyInspect } from '../ruby-inspect';
import { type YamlMap, type YamlValue, isMap, isSeq, isString } from '../values';
import { type IncludeType, includeMessages as msg } from './include-messages';

/** GitLab's `IncludeError`: stops the whole configuration with its message, as GitLab shows only that one. */
export class IncludeError extends Error {
  override readonly name = 'IncludeError';
}

/** The keys an include item may have (GitLab's `Entry::Include::ALLOWED_KEYS`). */
export const INCLUDE_KEYWORDS = [
  'local',
  'file',
  'remote',
  'project',
  'ref',
  'integrity',
  'template',
  'artifact',
  'inputs',
  'job',
  'rules',
  'component',
] as const;

/** An include item after `Mapper::Normalizer`: a string became `{local}` or `{remote}`. */
export type IncludeLocation = YamlMap;

/** A located include: its type and the hash GitLab's `File` classes read. */
export interface MatchedLocation {
  readonly type: IncludeType;
  readonly location: IncludeLocation;
}

/** GitLab's `Gitlab::UrlSanitizer.valid?` for a string item: an http(s) or ftp URL with a host becomes `{remote}`. */
function isUrl(value: string): boolean {
  if (!/^(https?|ftp):\/\//i.test(value)) return false;
  try {
    return new URL(value).host !== '';
  } catch {
    return false;
  }
}

/** `Mapper::Normalizer`: `include:` as a list of hashes; strings are variable-expanded first. */
export function normalizeIncludes(value: YamlValue | undefined, variables: ExpressionVariables): IncludeLocation[] {
  const items = value === undefined || value === null ? [] : isSeq(value) ? value : [value];
  return items
    .filter((item) => item !== null)
    .map((item) => {
      if (isString(item)) {
        const expanded = expandVariables(item, variables);
        return new Map([[isUrl(expanded) ? 'remote' : 'local', expanded]]);
      }
      if (isMap(item)) return item;
      throw new IncludeError(msg.itemShape());
    });
}

/** `Mapper::LocationExpander`: one location per `project` file; a `local` glob becomes the files it matches. */
export function expandLocation(
  location: IncludeLocation,
  files: () => Promise<readonly string[]>,
): Promise<IncludeLocation[]> | IncludeLocation[] {
  const file = location.get('file');
  if (location.has('project') && isSeq(file)) return file.map((each) => new Map([...location, ['file', each]]));
  const local = location.get('local');
  if (!isString(local) || !local.includes('*')) return [location];
  return files().then((paths) => wildcardMatches(local, paths).map((path) => new Map([['local', path]])));
}

/**
 * GitLab's `Repository#search_files_by_wildcard_path`, an RE2 regex: `**` matches anything, `*` anything but `/`,
 * every other character itself; a leading `/` is dropped, as the repository's paths have none.
 */
export function wildcardMatches(pattern: string, paths: readonly string[]): string[] {
  const source = pattern
    .replace(/^\/+/, '')
    .split('**')
    .map((part) => part.split('*').map(quote).join('[^/]*?'))
    .join('.*?');
  const regexp = RE2JS.compile(`^${source}$`);
  return paths.filter((path) => regexp.matches(path)).sort();
}

function quote(text: string): string {
  return text.replace(/[\\^$.|?+()[\]{}]/g, (character) => `\\${character}`);
}

/** `Mapper::VariablesExpander`: strings, and strings in lists, expanded (undefined variables become empty). */
export function expandLocationVariables(location: IncludeLocation, variables: ExpressionVariables): IncludeLocation {
  const expand = (value: YamlValue): YamlValue =>
    isString(value)
      ? expandVariables(value, variables)
      : isSeq(value)
        ? value.map((item) => (isString(item) ? expandVariables(item, variables) : item))
        : value;
  return new Map([...location].map(([key, value]) => [key, key === 'rules' ? value : expand(value)] as const));
}

/** Ruby's `present?`: not nil, not false, not a blank string or an empty collection. */
function present(value: YamlValue | undefined): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (isString(value)) return value.trim() !== '';
  if (isSeq(value)) return value.length > 0;
  if (isMap(value)) return value.size > 0;
  return true;
}

/** `Mapper::Matcher`: exactly one `File` class must claim the location. */
export function matchLocation(location: IncludeLocation): MatchedLocation {
  const unknown = [...location.keys()].filter((key) => !(INCLUDE_KEYWORDS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new IncludeError(msg.unknownKeys(unknown));
  const claims: Record<IncludeType, boolean> = {
    local: present(location.get('local')),
    project: present(location.get('file')) && present(location.get('project')),
    remote: present(location.get('remote')),
    template: present(location.get('template')),
    artifact: present(location.get('artifact')) && present(location.get('job')),
    component: present(location.get('component')),
  };
  const types = (Object.keys(claims) as IncludeType[]).filter((type) => claims[type]);
  if (types.length === 0) throw new IncludeError(msg.noValidSubkey(toJson(location)));
  if (types.length > 1) throw new IncludeError(msg.ambiguous());
  const [type] = types;
  if (type !== 'local' && type !== 'project') {
    throw new IncludeError(msg.notSupported(type, locationText(location.get(type === 'artifact' ? 'artifact' : type))));
  }
  if (location.has('inputs'))
    throw new IncludeError(msg.inputsNotSupported(locationText(location.get(type === 'local' ? 'local' : 'file'))));
  return { type, location };
}

/** How GitLab interpolates a location into a message (`"#{location}"`): a string as is, anything else inspected. */
export function locationText(value: YamlValue | undefined): string {
  if (value === undefined || value === null) return '';
  return isString(value) ? value : rubyInspect(value);
}

/** Ruby's `to_json` of the normalised item, as the Matcher's message shows it. */
export function toJson(value: YamlValue): string {
  return JSON.stringify(plain(value));
}

function plain(value: YamlValue): unknown {
  if (value instanceof YamlReference) return plain(value.written);
  if (isSeq(value)) return value.map(plain);
  if (isMap(value)) return Object.fromEntries([...value].map(([key, item]) => [key, plain(item)]));
  return value;
}
