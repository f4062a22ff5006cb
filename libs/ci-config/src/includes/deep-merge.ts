import { type YamlMap, type YamlValue, isMap } from '../values';

/**
 * ActiveSupport's `Hash#deep_merge!`, as GitLab merges included files: hashes merge key by key, anything else (a
 * list, a scalar, a `!reference`) from `source` replaces what `target` had. A key keeps its first position.
 */
export function deepMerge(target: Map<string, YamlValue>, source: YamlMap): void {
  for (const [key, value] of source) {
    const existing = target.get(key);
    if (isMap(existing) && isMap(value)) {
      const merged = new Map(existing);
      deepMerge(merged, value);
      target.set(key, merged);
    } else {
      target.set(key, value);
    }
  }
}
