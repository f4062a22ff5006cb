const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const SECRET_QUERY_PARAM = /([?&](?:private_token|access_token|job_token|token|jwt)=)[^&#\s"\\]*/gi;
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const TOKEN_PREFIXES = /\b(glpat|glrt|glcbt|gljt|lyd[a-z]*)-[A-Za-z0-9_-]{8,}/g;

/** Masks anything in a log line that could be a credential: JWTs, tokens in URLs, our token formats, PEM keys. */
export function redactSecrets(text: string): string {
  return text
    .replace(PEM_BLOCK, '[REDACTED PRIVATE KEY]')
    .replace(JWT_PATTERN, '[REDACTED JWT]')
    .replace(SECRET_QUERY_PARAM, '$1[REDACTED]')
    .replace(TOKEN_PREFIXES, '$1-[REDACTED]');
}
