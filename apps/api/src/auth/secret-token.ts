import { createHash, randomBytes } from 'node:crypto';

/** Token prefixes as GitLab's, so secret scanners and our log redaction recognise them. */
export type TokenPrefix = 'glpat' | 'glrt' | 'glcbt';

export function generateSecretToken(prefix: TokenPrefix): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}

/** Tokens are stored only as this digest; a database leak reveals no usable token. */
export function digestToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
