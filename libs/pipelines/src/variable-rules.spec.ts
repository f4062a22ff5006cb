import { ENVIRONMENT_SCOPE_PATTERN, KEY_PATTERN, ScopedVariable, isMaskable, resolveVariables, scopeRank } from './variable-rules';

describe(isMaskable.name, () => {
  it.each([
    ['abcdefgh', false, true],
    ['abcdefg', false, false],
    ['QUJDREVGR0g+/==', false, true],
    ['user@host:8.0~a-b_c', false, true],
    ['abc defgh', false, false],
    ['abcdefgh\n', false, false],
    ['abcd\nefgh', false, false],
    ['abc$defgh', false, false],
    ['abcdéfghi', false, false],
    ['p@$$w0rd"!', true, true],
    ['abcdéfghi', true, true],
    ['p@$$ w0rd', true, false],
    ['abcdefg\t', true, false],
    ['abcdefg', true, false],
  ])('%j (raw %s) → %s', (value, raw, expected) => {
    expect(isMaskable(value, raw)).toBe(expected);
  });
});

describe('KEY_PATTERN and ENVIRONMENT_SCOPE_PATTERN', () => {
  it.each([
    ['VAULT_SERVER_URL', true],
    ['a1_', true],
    ['A-B', false],
    ['A\n', false],
    ['', false],
    ['É', false],
  ])('key %j → %s', (key, ok) => {
    expect(KEY_PATTERN.test(key)).toBe(ok);
  });

  it.each([
    ['*', true],
    ['review/*', true],
    ['prod ${X}.eu-1', true],
    ['a;b', false],
    ['a\nb', false],
    ['', false],
  ])('scope %j → %s', (scope, ok) => {
    expect(ENVIRONMENT_SCOPE_PATTERN.test(scope)).toBe(ok);
  });
});

describe(scopeRank.name, () => {
  it.each([
    ['*', undefined, 0],
    ['production', undefined, -1],
    ['*', 'production', 0],
    ['production', 'production', 2],
    ['review/*', 'review/app-1', 1],
    ['review/*', 'reviewer', -1],
    ['Production', 'production', -1],
    ['a.b', 'axb', -1],
    ['*-eu', 'prod-eu', 1],
    ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(42), -1],
    ['*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(42)}b`, 1],
  ] as const)('scope %j for environment %j → %i', (scope, environment, rank) => {
    expect(scopeRank(scope, environment)).toBe(rank);
  });
});

describe(resolveVariables.name, () => {
  const v = (key: string, value: string, extra: Partial<ScopedVariable> = {}) => ({
    key,
    value,
    protected: false,
    environmentScope: '*',
    ...extra,
  });
  const pairs = (list: { key: string; value: string }[]) => list.map(({ key, value }) => `${key}=${value}`);

  it('lets a nearer level override a farther one, keeping level order', () => {
    const levels = [[v('A', 'root'), v('B', 'root')], [v('A', 'sub')], [v('C', 'project'), v('B', 'project')]];
    expect(pairs(resolveVariables(levels, { protectedRef: false }))).toEqual(['A=sub', 'C=project', 'B=project']);
  });

  it('drops protected variables unless the ref is protected, without letting them hide farther ones', () => {
    const levels = [[v('A', 'root')], [v('A', 'project', { protected: true })]];
    expect(pairs(resolveVariables(levels, { protectedRef: false }))).toEqual(['A=root']);
    expect(pairs(resolveVariables(levels, { protectedRef: true }))).toEqual(['A=project']);
  });

  it('picks the best-fitting environment scope within a level', () => {
    const level = [v('T', 'exact', { environmentScope: 'review/app' }), v('T', 'any'), v('T', 'glob', { environmentScope: 'review/*' })];
    expect(pairs(resolveVariables([level], { protectedRef: false }))).toEqual(['T=any']);
    expect(pairs(resolveVariables([level], { protectedRef: false, environment: 'review/app' }))).toEqual(['T=exact']);
    expect(pairs(resolveVariables([level], { protectedRef: false, environment: 'review/other' }))).toEqual(['T=glob']);
    expect(pairs(resolveVariables([level], { protectedRef: false, environment: 'production' }))).toEqual(['T=any']);
  });
});
