/**
 * Signing-key rotation arithmetic: how long a key is published before it signs and after it stops, and how long the
 * key set may be cached. Times are in seconds; the caller passes the clock.
 */

/** How often every replica reloads the key set from the database, whatever notifications it missed. */
export const JWKS_REFRESH_INTERVAL_SECONDS = 30;
/** How long a default jose verifier (`createRemoteJWKSet`) keeps a fetched key set: its `cacheMaxAge`, 10 min. */
export const VERIFIER_CACHE_MAX_AGE_SECONDS = 600;
/** How long a default jose verifier waits before refetching on an unknown `kid`: its `cooldownDuration`, 30 s. */
export const VERIFIER_COOLDOWN_SECONDS = 30;
/** Clock skew verifiers are allowed, on top of a token's own lifetime, before its key may leave the JWKS. */
export const VERIFIER_SKEW_SECONDS = 300;
/** The longest `max-age` the JWKS announces: an hour, as GitLab.com's. */
export const JWKS_MAX_MAX_AGE_SECONDS = 3600;

/**
 * The shortest publish lead that cannot outrun a default verifier: a new key reaches every replica within the refresh
 * interval; a verifier that fetched the key set just before keeps it for its cache lifetime, and one that fetched just
 * after an unknown `kid` waits out its cooldown. 30 s + 10 min + 30 s = 11 min, rounded up to 15 min so that the JWKS
 * may still be cached for a few minutes (jwksMaxAgeSeconds) and replicas' clocks may differ.
 */
export const MIN_KEY_PUBLISH_LEAD_SECONDS = 900;

/** What a verifier's own cache can hide a new key for: replica refresh, then its cache lifetime and cooldown. */
const KEY_PROPAGATION_SECONDS = JWKS_REFRESH_INTERVAL_SECONDS + VERIFIER_CACHE_MAX_AGE_SECONDS + VERIFIER_COOLDOWN_SECONDS;

/**
 * The JWKS `Cache-Control: max-age`: a cache that honours it, in front of a verifier that caches again, must still
 * see a new key before it signs, so the lead time pays for both. At the floor this is 4 min, with the default 24 h lead
 * an hour; a lead below the propagation time (tests) allows no caching at all.
 */
export function jwksMaxAgeSeconds(publishLeadSeconds: number): number {
  return Math.min(JWKS_MAX_MAX_AGE_SECONDS, Math.max(0, publishLeadSeconds - KEY_PROPAGATION_SECONDS));
}

/** Why a publish lead is too short, naming the floor; null when it is long enough. */
export function publishLeadProblem(publishLeadSeconds: number): string | null {
  if (publishLeadSeconds >= MIN_KEY_PUBLISH_LEAD_SECONDS) return null;
  return (
    `is ${publishLeadSeconds} s, shorter than the ${MIN_KEY_PUBLISH_LEAD_SECONDS / 60}m floor: verifiers that cached the key set ` +
    `(jose keeps it ${VERIFIER_CACHE_MAX_AGE_SECONDS} s and refetches at most every ${VERIFIER_COOLDOWN_SECONDS} s) ` +
    'would reject tokens signed by a newly activated key'
  );
}

/** When a key added now may start signing. */
export function keyUsableFrom(nowSeconds: number, publishLeadSeconds: number): number {
  return nowSeconds + publishLeadSeconds;
}

/**
 * Until when a retired key stays published: until the last token it signed has expired, plus verifier skew and the
 * lead time (a verifier that cached the set when the key was still active may need it that long).
 */
export function retiredKeyPublishedUntil(nowSeconds: number, lastExpSeconds: number | null, publishLeadSeconds: number): number {
  return Math.max(nowSeconds, lastExpSeconds ?? 0) + VERIFIER_SKEW_SECONDS + publishLeadSeconds;
}

export type SigningKeyState = 'next' | 'active' | 'retired' | 'revoked';

export interface RotationKey {
  readonly kid: string;
  readonly state: SigningKeyState;
}

export type RevocationPlan =
  { readonly ok: true; readonly promote: string | null } | { readonly ok: false; readonly reason: 'already_revoked' | 'no_successor' };

/**
 * Revoking is for a compromised key, so it never waits for the lead time. Revoking the active key promotes the newest
 * `next` key at once (verifiers that have not fetched it yet refetch on its unknown `kid`); with no `next` key it is
 * refused rather than leaving nothing to sign with or signing with a key no verifier has ever seen.
 * `keys` are in creation order.
 */
export function planRevocation(keys: readonly RotationKey[], kid: string): RevocationPlan {
  const key = keys.find((candidate) => candidate.kid === kid);
  if (key?.state === 'revoked') return { ok: false, reason: 'already_revoked' };
  if (key?.state !== 'active') return { ok: true, promote: null };
  const successor = keys.filter((candidate) => candidate.state === 'next').at(-1);
  return successor ? { ok: true, promote: successor.kid } : { ok: false, reason: 'no_successor' };
}
