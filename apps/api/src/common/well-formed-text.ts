/** A UTF-16 surrogate that is not half of a pair: text no encoder can write as UTF-8 faithfully. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * The first parameter, in Grape's brackets (`variables[1][key]`), whose name or text holds a lone surrogate; null when
 * every string of `value` is well-formed Unicode. `name` is the parameter `value` was sent as ('' for a whole body).
 */
export function illFormedParameter(value: unknown, name: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? name : null;
  // Bytes (a runner's log chunk) are not text to check; the bound on nesting is the JSON parser's.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  for (const [key, item] of entries) {
    const child = name ? `${name}[${key}]` : key;
    if (LONE_SURROGATE.test(key)) return name || 'body';
    const found = illFormedParameter(item, child);
    if (found !== null) return found;
  }
  return null;
}
