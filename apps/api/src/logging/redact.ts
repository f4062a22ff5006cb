const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const TOKEN_PREFIXES = /\b(glpat|glrt|glcbt|gljt|lyd[a-z]*)-[A-Za-z0-9_-]{8,}/g;

/** Any parameter whose decoded name says it holds a credential: GitLab's `private_token`, `job_token`, `token`, … */
const CREDENTIAL_NAME = /token|jwt|authorization|password|secret/i;
const CREDENTIAL_NAMES_IN_TEXT = ['private_token', 'access_token', 'job_token', 'token', 'jwt'];

/** A name as it may appear in a URL: each character literal or percent-encoded (in either case), e.g. `%5F` for `_`. */
function encodedForms(name: string): string {
  return [...name]
    .map((char) => {
      const codes = new Set([char.toLowerCase(), char.toUpperCase()].map((c) => c.charCodeAt(0).toString(16)));
      return `(?:${char.replace(/[-_]/g, '\\$&')}|${[...codes].map((hex) => `%${hex}`).join('|')})`;
    })
    .join('');
}

const SECRET_QUERY_PARAM = new RegExp(`([?&](?:${CREDENTIAL_NAMES_IN_TEXT.map(encodedForms).join('|')})=)[^&#\\s"\\\\]*`, 'gi');

/** Masks anything in a log line that could be a credential: JWTs, tokens in URLs, our token formats, PEM keys. */
export function redactSecrets(text: string): string {
  return text
    .replace(PEM_BLOCK, '[REDACTED PRIVATE KEY]')
    .replace(JWT_PATTERN, '[REDACTED JWT]')
    .replace(SECRET_QUERY_PARAM, '$1[REDACTED]')
    .replace(TOKEN_PREFIXES, '$1-[REDACTED]');
}

/** Runner routes read their token from the query as well as the body: their query string is never logged. */
const RUNNER_ROUTE = /^\/api\/v4\/(?:jobs|runners)(?:\/|$)/;

/**
 * A request URL as it may be logged. Parameters are judged by their name as the query parser decodes it (`+`, percent
 * escapes, a `[…]` suffix), so `?private%5Ftoken=` or `?%70rivate_token=`, which authenticate, are masked too.
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const path = url.slice(0, mark);
  if (RUNNER_ROUTE.test(path)) return `${path}?[REDACTED QUERY]`;
  const pairs = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return equals >= 0 && CREDENTIAL_NAME.test(decodedName(name)) ? `${name}=[REDACTED]` : pair;
    });
  return `${path}?${pairs.join('&')}`;
}

function decodedName(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // the query parser keeps an undecodable name as it is
  }
}
