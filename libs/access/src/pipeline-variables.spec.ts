import { AccessLevel } from './access-level';
import {
  PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES,
  isPipelineVariablesMinimumOverrideRole,
  mayChoosePipelineVariablesRole,
  mayOverridePipelineVariables,
} from './pipeline-variables';

describe(mayOverridePipelineVariables.name, () => {
  const { NoAccess, Guest, Reporter, Developer, Maintainer, Owner } = AccessLevel;
  // Each row: the setting, then whether each level from no access to owner may pass pipeline variables.
  it.each([
    ['no_one_allowed', [false, false, false, false, false, false]],
    ['developer', [false, false, false, true, true, true]],
    ['maintainer', [false, false, false, false, true, true]],
    ['owner', [false, false, false, false, false, true]],
  ] as const)('%s', (role, expected) => {
    expect([NoAccess, Guest, Reporter, Developer, Maintainer, Owner].map((level) => mayOverridePipelineVariables(role, level))).toEqual(
      expected,
    );
  });

  it('lists exactly GitLab’s four settings', () => {
    expect(PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES).toEqual(['no_one_allowed', 'developer', 'maintainer', 'owner']);
    expect(['guest', 'reporter', '', null, 30, 'Owner'].some(isPipelineVariablesMinimumOverrideRole)).toBe(false);
  });
});

describe(mayChoosePipelineVariablesRole.name, () => {
  it.each([
    ['owner', 'maintainer', AccessLevel.Maintainer, false, false],
    ['owner', 'maintainer', AccessLevel.Owner, false, true],
    ['owner', 'maintainer', AccessLevel.NoAccess, true, true],
    ['no_one_allowed', 'maintainer', AccessLevel.Maintainer, false, true],
    ['maintainer', 'no_one_allowed', AccessLevel.Maintainer, false, true],
    ['developer', 'maintainer', AccessLevel.Maintainer, false, true],
    ['developer', 'owner', AccessLevel.Maintainer, false, false],
    ['no_one_allowed', 'owner', AccessLevel.Maintainer, false, false],
    ['developer', 'owner', AccessLevel.Owner, false, true],
    ['developer', 'owner', AccessLevel.Developer, true, true],
    ['owner', 'owner', AccessLevel.Maintainer, false, true],
  ] as const)('%s from %s by level %i (admin %s) → %s', (role, current, level, admin, expected) => {
    expect(mayChoosePipelineVariablesRole(role, current, { level, admin })).toBe(expected);
  });
});
