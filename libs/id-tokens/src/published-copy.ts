import { VERIFIER_CACHE_MAX_AGE_SECONDS, VERIFIER_COOLDOWN_SECONDS } from './key-rotation';

/**
 * A change to the signing keys, as a copy of the key set published elsewhere (GitLab's `ci_id_token_issuer_url`
 * recipe: discovery and the JWKS on a public static host) must follow it. Times are in seconds.
 */
export type SigningKeyChange =
  | { readonly kind: 'first'; readonly kid: string }
  | { readonly kind: 'added'; readonly kid: string; readonly usableFrom: number }
  | { readonly kind: 'activated'; readonly kid: string }
  | { readonly kind: 'retired'; readonly kid: string; readonly publishedUntil: number }
  | { readonly kind: 'revoked'; readonly kid: string };

export interface PublishedCopyRefresh {
  /** When the published copy must hold the new key set. */
  readonly by: number;
  readonly reason: string;
}

/**
 * By when the published copy must be refreshed. A new key must be there early enough that a verifier which cached the
 * copy just before sees it before the key may sign; a key that signs or is revoked makes the copy wrong at once; a
 * retired key may stay until its publication ends (keeping it longer only delays its removal).
 */
export function publishedCopyRefresh(change: SigningKeyChange, now: number): PublishedCopyRefresh {
  switch (change.kind) {
    case 'first':
      return { by: now, reason: `the key set has its first key ${change.kid}: verifiers cannot check any token until the copy holds it` };
    case 'added':
      return {
        by: Math.max(now, change.usableFrom - VERIFIER_CACHE_MAX_AGE_SECONDS - VERIFIER_COOLDOWN_SECONDS),
        reason: `key ${change.kid} was added; verifiers that cached the copy must see it before it may sign`,
      };
    case 'activated':
      return { by: now, reason: `key ${change.kid} now signs: verifiers reject its tokens until the copy holds it` };
    case 'retired':
      return { by: change.publishedUntil, reason: `key ${change.kid} was retired and may leave the copy once its publication ends` };
    case 'revoked':
      return { by: now, reason: `key ${change.kid} was revoked: verifiers keep accepting its tokens while the copy still holds it` };
  }
}
