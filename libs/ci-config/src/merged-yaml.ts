import { stringify } from 'yaml';
import { inherits, isSet, parseInherit } from './default-entry';
import { DEFAULT_KEYWORDS } from './keywords';
import { type YamlMap, type YamlValue, Problems, isMap } from './values';
import { writerTags } from './yaml-schema';

/**
 * The configuration as jobs see it: `extends` applied (and removed), each job given the `default:` keys it inherits
 * (and `inherit:` removed), `default:` and hidden jobs dropped. Written as YAML 1.1, so strings such as `yes` or
 * `012` stay quoted for GitLab-compatible readers.
 */
export function buildMergedYaml(expanded: YamlMap, jobNames: ReadonlySet<string>): string {
  const defaults = expanded.get('default');
  const merged = new Map<string, YamlValue>();
  for (const [key, value] of expanded) {
    if (key === 'default' || key.startsWith('.')) continue;
    merged.set(key, jobNames.has(key) && isMap(value) ? mergedJob(value, isMap(defaults) ? defaults : null) : value);
  }
  return stringify(merged, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0, customTags: writerTags });
}

function mergedJob(job: YamlMap, defaults: YamlMap | null): YamlMap {
  // Problems in `inherit:` are reported by the job's own parse; here it only decides what is copied.
  const rules = parseInherit(job.get('inherit'), '', new Problems());
  const merged = new Map(job);
  merged.delete('extends');
  merged.delete('inherit');
  for (const key of DEFAULT_KEYWORDS) {
    if (defaults && isSet(defaults, key) && !isSet(job, key) && inherits(rules.default, key)) {
      merged.set(key, defaults.get(key) ?? null);
    }
  }
  return merged;
}
