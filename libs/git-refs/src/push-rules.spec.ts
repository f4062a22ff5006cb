import { AccessLevel } from '@lanyard/access';
import { PUSH_REFUSALS, PushRules, RefUpdate, refusePushedRef } from './push-rules';
import { RefProtection } from './ref-protection';

const developer = { level: AccessLevel.Developer, admin: false };
const maintainer = { level: AccessLevel.Maintainer, admin: false };

function rules(actor = developer, allowForcePush = false): PushRules {
  return {
    actor,
    branches: new RefProtection([{ name: 'main', pushAccessLevel: 40, mergeAccessLevel: 40, allowForcePush }]),
    tags: new RefProtection([{ name: 'v*', pushAccessLevel: 40, mergeAccessLevel: 40 }]),
    defaultBranch: 'main',
  };
}
const update = (refName: string, kind: RefUpdate['kind'] = 'update', forced = false): RefUpdate => ({ refName, kind, forced });

describe(refusePushedRef.name, () => {
  it('lets a developer push an unprotected branch, force-push it and delete it', () => {
    expect(refusePushedRef(update('refs/heads/feature'), rules())).toBeNull();
    expect(refusePushedRef(update('refs/heads/feature', 'update', true), rules())).toBeNull();
    expect(refusePushedRef(update('refs/heads/feature', 'delete'), rules())).toBeNull();
  });

  it('refuses a developer on a maintainers-only branch, and a force push without allow_force_push even to a maintainer', () => {
    expect(refusePushedRef(update('refs/heads/main'), rules())).toBe(PUSH_REFUSALS.pushProtectedBranch);
    expect(refusePushedRef(update('refs/heads/main'), rules(maintainer))).toBeNull();
    expect(refusePushedRef(update('refs/heads/main', 'update', true), rules(maintainer))).toBe(PUSH_REFUSALS.forcePushProtectedBranch);
    expect(refusePushedRef(update('refs/heads/main', 'update', true), rules(maintainer, true))).toBeNull();
  });

  it('never deletes the default branch or a protected one by push', () => {
    expect(refusePushedRef(update('refs/heads/main', 'delete'), rules(maintainer))).toBe(PUSH_REFUSALS.deleteDefaultBranch);
    const other = { ...rules(maintainer), defaultBranch: 'develop' };
    expect(refusePushedRef(update('refs/heads/main', 'delete'), other)).toBe(PUSH_REFUSALS.deleteProtectedBranch);
  });

  it('guards tags: protected ones are created by their level, never moved; existing ones moved by maintainers only', () => {
    expect(refusePushedRef(update('refs/tags/v1', 'create'), rules())).toBe(PUSH_REFUSALS.createProtectedTag);
    expect(refusePushedRef(update('refs/tags/v1', 'create'), rules(maintainer))).toBeNull();
    expect(refusePushedRef(update('refs/tags/v1', 'update'), rules(maintainer))).toBe(PUSH_REFUSALS.updateProtectedTag);
    expect(refusePushedRef(update('refs/tags/nightly', 'update'), rules())).toBe(PUSH_REFUSALS.changeExistingTags);
    expect(refusePushedRef(update('refs/tags/v1', 'delete'), rules())).toBe(PUSH_REFUSALS.deleteProtectedTag);
    expect(refusePushedRef(update('refs/tags/v1', 'delete'), rules(maintainer))).toBeNull();
  });

  it('refuses refs outside branches and tags, and invalid names', () => {
    expect(refusePushedRef(update('refs/merge-requests/1/head'), rules(maintainer))).toBe(PUSH_REFUSALS.refNamespace);
    expect(refusePushedRef(update('refs/heads/bad..name', 'create'), rules(maintainer))).toBe(PUSH_REFUSALS.refName);
  });
});
