import {
  JWKS_REFRESH_INTERVAL_SECONDS,
  MIN_KEY_PUBLISH_LEAD_SECONDS,
  VERIFIER_CACHE_MAX_AGE_SECONDS,
  VERIFIER_COOLDOWN_SECONDS,
  jwksMaxAgeSeconds,
  keyUsableFrom,
  planRevocation,
  publishLeadProblem,
  retiredKeyPublishedUntil,
  type RotationKey,
} from './key-rotation';

describe('MIN_KEY_PUBLISH_LEAD_SECONDS', () => {
  it('outlasts a replica refresh plus a default jose verifier’s cache and cooldown, with the JWKS max-age on top', () => {
    expect(MIN_KEY_PUBLISH_LEAD_SECONDS).toBe(900);
    const propagation = JWKS_REFRESH_INTERVAL_SECONDS + VERIFIER_CACHE_MAX_AGE_SECONDS + VERIFIER_COOLDOWN_SECONDS;
    expect(propagation).toBe(660);
    expect(propagation + jwksMaxAgeSeconds(MIN_KEY_PUBLISH_LEAD_SECONDS)).toBeLessThanOrEqual(MIN_KEY_PUBLISH_LEAD_SECONDS);
  });
});

describe(jwksMaxAgeSeconds.name, () => {
  it.each([
    [0, 0],
    [2, 0],
    [660, 0],
    [900, 240],
    [3600, 2940],
    [86_400, 3600],
  ])('lead %i s → max-age %i s', (lead, maxAge) => {
    expect(jwksMaxAgeSeconds(lead)).toBe(maxAge);
  });
});

describe(publishLeadProblem.name, () => {
  it.each([[900], [3600], [86_400]])('accepts %i s', (lead) => {
    expect(publishLeadProblem(lead)).toBeNull();
  });

  it.each([[0], [2], [899]])('explains why %i s is too short', (lead) => {
    expect(publishLeadProblem(lead)).toBe(
      `is ${lead} s, shorter than the 15m floor: verifiers that cached the key set (jose keeps it 600 s and refetches at most ` +
        'every 30 s) would reject tokens signed by a newly activated key',
    );
  });
});

describe('key lifetimes', () => {
  it('lets a key sign one lead time after it is added', () => {
    expect(keyUsableFrom(1_000, 900)).toBe(1_900);
  });

  it.each([
    ['no token signed', null, 1_000 + 300 + 900],
    ['tokens already expired', 500, 1_000 + 300 + 900],
    ['a token expiring later', 4_600, 4_600 + 300 + 900],
  ])('keeps a retired key published with %s', (_case, lastExp, until) => {
    expect(retiredKeyPublishedUntil(1_000, lastExp, 900)).toBe(until);
  });
});

describe(planRevocation.name, () => {
  const keys = (...states: RotationKey['state'][]): RotationKey[] => states.map((state, i) => ({ kid: `k${i}`, state }));

  it.each<[string, RotationKey[], string, ReturnType<typeof planRevocation>]>([
    ['a next key', keys('active', 'next'), 'k1', { ok: true, promote: null }],
    ['a retired key', keys('retired', 'active'), 'k0', { ok: true, promote: null }],
    ['the active key, promoting the next one', keys('retired', 'active', 'next'), 'k1', { ok: true, promote: 'k2' }],
    ['the active key, promoting the newest next one', keys('next', 'active', 'next'), 'k1', { ok: true, promote: 'k2' }],
    ['the active key with no next key', keys('retired', 'active'), 'k1', { ok: false, reason: 'no_successor' }],
    ['the active key when the only next key is revoked', keys('active', 'revoked'), 'k0', { ok: false, reason: 'no_successor' }],
    ['a revoked key', keys('revoked', 'active'), 'k0', { ok: false, reason: 'already_revoked' }],
  ])('revokes %s', (_case, set, kid, plan) => {
    expect(planRevocation(set, kid)).toEqual(plan);
  });
});
