import { AccessLevel } from '@lanyard/access';
import { type ProtectionLevel, protectionAllows } from './protection-level';
import { type ProtectionRule, RefProtection } from './ref-protection';

const rule = (name: string, pushAccessLevel: ProtectionLevel, mergeAccessLevel: ProtectionLevel): ProtectionRule => ({
  name,
  pushAccessLevel,
  mergeAccessLevel,
});
const member = (level: AccessLevel) => ({ level, admin: false });
const admin = { level: AccessLevel.NoAccess, admin: true };

describe(protectionAllows.name, () => {
  it.each<[ProtectionLevel, { level: AccessLevel; admin: boolean }, boolean]>([
    [0, admin, false],
    [0, member(AccessLevel.Owner), false],
    [30, member(AccessLevel.Developer), true],
    [30, member(AccessLevel.Reporter), false],
    [40, member(AccessLevel.Developer), false],
    [40, member(AccessLevel.Maintainer), true],
    [40, admin, true],
    [60, member(AccessLevel.Owner), false],
    [60, admin, true],
  ])('level %p lets %p in: %p', (required, actor, allowed) => {
    expect(protectionAllows(required, actor)).toBe(allowed);
  });
});

describe(RefProtection.name, () => {
  const protection = new RefProtection([rule('main', 40, 40), rule('release/*', 0, 30)]);

  it.each<[string, { level: AccessLevel; admin: boolean }, boolean]>([
    ['main', member(AccessLevel.Maintainer), true],
    ['main', member(AccessLevel.Developer), false],
    ['main', member(AccessLevel.NoAccess), false],
    ['main', admin, true],
    ['release/1.0', member(AccessLevel.Developer), true],
    ['release/1.0', member(AccessLevel.Reporter), false],
    ['feature', member(AccessLevel.Developer), true],
    ['feature', member(AccessLevel.Reporter), false],
  ])('runs a pipeline for %s as %p: %p (push or merge)', (ref, actor, allowed) => {
    expect(protection.allowsPipeline(ref, actor)).toBe(allowed);
  });

  it('pushes only where a matching rule lets the actor push', () => {
    expect(protection.allowsPush('release/1.0', member(AccessLevel.Owner))).toBe(false);
    expect(protection.allowsPush('main', member(AccessLevel.Maintainer))).toBe(true);
    expect(protection.allowsPush('feature', member(AccessLevel.Developer))).toBe(true);
  });

  it('knows what is protected and what developers may do', () => {
    expect([protection.isProtected('main'), protection.isProtected('release/x'), protection.isProtected('mainline')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(protection.developersCan('merge', 'release/x')).toBe(true);
    expect(protection.developersCan('push', 'release/x')).toBe(false);
  });
});
