import { publishedCopyRefresh } from './published-copy';

const NOW = 1_800_000_000;

describe(publishedCopyRefresh.name, () => {
  it('wants a new key in the copy a verifier cache lifetime and cooldown before it may sign', () => {
    expect(publishedCopyRefresh({ kind: 'added', kid: 'k2', usableFrom: NOW + 86_400 }, NOW)).toEqual({
      by: NOW + 86_400 - 630,
      reason: expect.stringContaining('key k2 was added'),
    });
  });

  it('wants it at once when the lead is shorter than that', () => {
    expect(publishedCopyRefresh({ kind: 'added', kid: 'k2', usableFrom: NOW + 60 }, NOW).by).toBe(NOW);
  });

  it.each(['first', 'activated', 'revoked'] as const)('wants the copy refreshed at once when a key is %s', (kind) => {
    expect(publishedCopyRefresh({ kind, kid: 'k1' }, NOW)).toEqual({ by: NOW, reason: expect.stringContaining('k1') });
  });

  it('lets a retired key stay in the copy until its publication ends', () => {
    expect(publishedCopyRefresh({ kind: 'retired', kid: 'k1', publishedUntil: NOW + 3600 }, NOW).by).toBe(NOW + 3600);
  });
});
