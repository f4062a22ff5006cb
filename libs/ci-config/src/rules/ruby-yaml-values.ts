import { type YamlValue, isMap, isSeq } from '../values';

/**
 * How GitLab's validators, written in Ruby, see a loaded YAML value. The entries in this folder copy GitLab's
 * messages, and those print and measure values the Ruby way.
 */

/** ActiveSupport's `blank?`: nil, false, an empty or whitespace-only string, an empty list or hash. */
export function isRubyBlank(value: YamlValue | undefined): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === 'string') return /^\p{White_Space}*$/u.test(value);
  if (isSeq(value)) return value.length === 0;
  if (isMap(value)) return value.size === 0;
  return false;
}

/** Ruby's `to_s`, as `"unknown value: #{value}"` prints it: lists and hashes are inspected (`["a"]`, `{:a=>"b"}`). */
export function rubyToString(value: YamlValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (isSeq(value)) return `[${value.map(rubyInspect).join(', ')}]`;
  if (isMap(value)) return `{${[...value].map(([key, item]) => `:${key}=>${rubyInspect(item)}`).join(', ')}}`;
  return String(value);
}

function rubyInspect(value: YamlValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  return rubyToString(value);
}

/** What ActiveModel's length validator measures: a list's or hash's size, a string's characters, else `to_s`. */
export function rubyLength(value: YamlValue | undefined): number {
  if (isSeq(value)) return value.length;
  if (isMap(value)) return value.size;
  return [...rubyToString(value)].length;
}

/** Ruby's `[value].flatten`: nested lists become one list, in order. */
export function flattenDeep(value: YamlValue): YamlValue[] {
  return isSeq(value) ? value.flatMap(flattenDeep) : [value];
}
