import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { type YamlMap, type YamlValue, isMap, isString, isStringArray } from './values';

export type ExtendsResult = { readonly ok: true; readonly root: YamlMap } | { readonly ok: false; readonly error: string };

class ExtendsError extends Error {}

interface Expanded {
  readonly value: YamlMap;
  /** Levels of `extends` at and below this entry; 0 when it extends nothing. */
  readonly height: number;
}

/**
 * GitLab's `Config::Extendable`: each of `keys` that has `extends:` becomes its bases deep-merged in order, then
 * itself on top (hashes merge, anything else, arrays included, is replaced). Like GitLab, the first problem stops
 * the expansion: an unknown or non-hash base, more than 10 levels below an entry, or a cycle.
 */
export function expandExtends(root: YamlMap, keys: readonly string[]): ExtendsResult {
  const expander = new Expander(root);
  const expanded = new Map(root);
  try {
    for (const key of keys) {
      const value = root.get(key);
      if (isMap(value) && value.has('extends')) expanded.set(key, expander.expand(key, []).value);
    }
  } catch (error) {
    if (error instanceof ExtendsError) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, root: expanded };
}

class Expander {
  private readonly done = new Map<string, Expanded>();
  private copied = 0;

  constructor(private readonly root: YamlMap) {}

  expand(key: string, ancestors: readonly string[]): Expanded {
    const value = this.root.get(key) as YamlMap;
    if (!value.has('extends')) return { value, height: 0 };
    // Reusing a finished expansion is exact unless its deepest `extends` would now sit too deep.
    const finished = this.done.get(key);
    if (finished && ancestors.length + finished.height - 1 <= LIMITS.maxExtendsNesting) return finished;

    const bases = this.bases(key, value.get('extends') ?? null);
    const unknown = bases.filter((base) => !this.root.has(base));
    if (unknown.length > 0) throw new ExtendsError(msg.extendsUnknown(key, unknown));
    const invalid = bases.filter((base) => !isMap(this.root.get(base)));
    if (invalid.length > 0) throw new ExtendsError(msg.extendsInvalidBase(key, invalid));
    if (ancestors.length > LIMITS.maxExtendsNesting) throw new ExtendsError(msg.extendsTooDeep(key));
    if (ancestors.includes(key)) throw new ExtendsError(msg.extendsCircular(key));

    let merged: YamlMap = new Map();
    let height = 0;
    for (const base of bases) {
      const expanded = this.expand(base, [...ancestors, key]);
      merged = this.deepMerge(merged, expanded.value);
      height = Math.max(height, expanded.height);
    }
    const result = { value: this.deepMerge(merged, value), height: height + 1 };
    this.done.set(key, result);
    return result;
  }

  private bases(key: string, value: YamlValue): readonly string[] {
    if (value === null) return [];
    if (isString(value)) return [value];
    if (isStringArray(value)) return value;
    throw new ExtendsError(msg.extendsInvalid(key));
  }

  /** Rails' `Hash#deep_merge`: existing keys keep their place, `override` wins. Copies are counted and bounded. */
  private deepMerge(base: YamlMap, override: YamlMap): YamlMap {
    const merged = new Map(base);
    for (const [key, value] of override) {
      const existing = merged.get(key);
      merged.set(key, isMap(existing) && isMap(value) ? this.deepMerge(existing, value) : value);
    }
    this.copied += merged.size;
    if (this.copied > LIMITS.maxNodes) throw new ExtendsError(msg.tooManyNodes());
    return merged;
  }
}
