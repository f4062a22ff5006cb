import type { YamlReference } from './reference-tag';

/**
 * A YAML value after loading: scalars, sequences and string-keyed mappings (insertion order kept). A `!reference`
 * tag stays a `YamlReference` until `resolveReferences` replaces it, right after `extends`.
 */
export type YamlScalar = string | number | boolean | null;
export type YamlValue = YamlScalar | YamlSeq | YamlMap | YamlReference;
export type YamlSeq = readonly YamlValue[];
export type YamlMap = ReadonlyMap<string, YamlValue>;

export function isMap(value: YamlValue | undefined): value is YamlMap {
  return value instanceof Map;
}

export function isSeq(value: YamlValue | undefined): value is YamlSeq {
  return Array.isArray(value);
}

export function isString(value: YamlValue | undefined): value is string {
  return typeof value === 'string';
}

export function isStringArray(value: YamlValue | undefined): value is readonly string[] {
  return isSeq(value) && value.every(isString);
}

/** Keys of `map` that are not in `allowed`, in the order they were written. */
export function unknownKeys(map: YamlMap, allowed: readonly string[]): string[] {
  return [...map.keys()].filter((key) => !allowed.includes(key));
}

/**
 * Adds an own enumerable property. Keys come from user YAML, so a plain assignment of `__proto__` would replace the
 * record's prototype instead of adding an entry.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Builds a record from entries in order, safely (see `setOwn`). */
export function ownRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const record: Record<string, T> = {};
  for (const [key, value] of entries) setOwn(record, key, value);
  return record;
}

/** Collects error strings in the order they are found. */
export class Problems {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  error(message: string): void {
    this.errors.push(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}
