import { stringify } from 'yaml';
import { inherits, isSet, parseInherit } from './default-entry';
import { DEFAULT_KEYWORDS, LEGACY_DEFAULT_KEYWORDS } from './keywords';
import { type YamlMap, type YamlValue, Problems, isMap } from './values';
import { writerTags } from './yaml-schema';

/**
 * The configuration as jobs see it: `extends` applied (and removed), each job given the `default:` keys it inherits
 * (and `inherit:` removed), `default:` and hidden jobs dropped. Written as YAML 1.1, so strings such as `yes` or
 * `012` stay quoted for GitLab-compatible readers.
 */
export function buildMergedYaml(expanded: YamlMap, jobNames: ReadonlySet<string>): string {
  const legacy: readonly string[] = LEGACY_DEFAULT_KEYWORDS;
  const written = expanded.get('default');
  // The legacy top-level `image`, `services`, … are `default:` keys too; a key set in both is an error reported elsewhere.
  const defaults = new Map([
    ...legacy.filter((key) => expanded.has(key)).map((key) => [key, expanded.get(key) ?? null] as const),
    ...(isMap(written) ? written : []),
  ]);
  const merged = new Map<string, YamlValue>();
  for (const [key, value] of expanded) {
    if (key === 'default' || legacy.includes(key) || key.startsWith('.')) continue;
    merged.set(key, jobNames.has(key) && isMap(value) ? mergedJob(value, defaults) : value);
  }
  return stringify(merged, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0, customTags: writerTags });
}

function mergedJob(job: YamlMap, defaults: YamlMap): YamlMap {
  // Problems in `inherit:` are reported by the job's own parse; here it only decides what is copied.
  const rules = parseInherit(job.get('inherit'), '', new Problems());
  const merged = new Map(job);
  merged.delete('extends');
  merged.delete('inherit');
  const inheritable: readonly string[] = DEFAULT_KEYWORDS;
  for (const [key, value] of defaults) {
    if (inheritable.includes(key) && value !== null && !isSet(job, key) && inherits(rules.default, key)) merged.set(key, value);
  }
  return merged;
}
