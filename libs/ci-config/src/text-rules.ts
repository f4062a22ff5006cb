/**
 * True when `text` holds a character that hides or reorders what a reviewer sees (Trojan Source, CVE-2021-42574) or
 * that breaks log lines and headers: C0/C1 controls, DEL, zero-width and bidi controls, line/paragraph separators,
 * the byte-order mark, and lone surrogates (not encodable as UTF-8).
 */
export function hasControlOrBidiCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
    if (code === 0x061c || code === 0xfeff) return true;
    if ((code >= 0x200b && code <= 0x200f) || (code >= 0x2028 && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      return true;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** NUL or a lone surrogate: PostgreSQL can store neither in text or jsonb, so such a config could not be saved. */
const UNSTORABLE_CHARACTER = /[\u0000\p{Cs}]/u;

export function hasUnstorableCharacters(text: string): boolean {
  return UNSTORABLE_CHARACTER.test(text);
}

const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Predefined variables (`CI`, `CI_*`, `GITLAB_*`); case-insensitive because Windows runners are. */
const RESERVED_VARIABLE_PATTERN = /^(CI|GITLAB)(_|$)/i;

/** A name an ID token or secret may take: a portable shell variable name that shadows no predefined variable. */
export function isValidJobVariableName(name: string): boolean {
  return VARIABLE_NAME_PATTERN.test(name) && !RESERVED_VARIABLE_PATTERN.test(name);
}

/** UTF-8 length without allocating an encoded copy. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
