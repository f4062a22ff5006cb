import { YamlReference } from './reference-tag';
import type { YamlValue } from './values';

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\f': '\\f',
  '\v': '\\v',
  '\b': '\\b',
  '\x07': '\\a',
  '\x1b': '\\e',
};

/** Ruby's `String#inspect` for a UTF-8 string: quotes, escapes, `#{` kept literal, other controls as `\u`. */
function inspectString(value: string): string {
  const body = value.replace(/["\\\n\t\r\f\v\b\x07\x1b]|#(?=[{$@])|[\x00-\x1f\x7f]/g, (character) =>
    character === '#' ? '\\#' : (ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
  );
  return `"${body}"`;
}

/**
 * Ruby's `inspect` of a loaded YAML value, so messages GitLab builds with it (`!reference [".job", "script"] could
 * not be found`) read the same here. Mappings are written as Ruby 3.3 does (`{"a"=>"b"}`).
 */
export function rubyInspect(value: YamlValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return inspectString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof YamlReference) return rubyInspect(value.written);
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(', ')}]`;
  return `{${[...(value as ReadonlyMap<string, YamlValue>)].map(([key, item]) => `${inspectString(key)}=>${rubyInspect(item)}`).join(', ')}}`;
}
