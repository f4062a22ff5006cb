import { DEPLOY_ACCESS_LEVELS } from '@lanyard/access';
import { ENVIRONMENT_TIERS, describeDeployAccessLevel } from './environment-rules';

describe('ENVIRONMENT_TIERS and DEPLOY_ACCESS_LEVELS', () => {
  it('lists exactly GitLab’s tiers', () => {
    expect(ENVIRONMENT_TIERS).toEqual(['production', 'staging', 'testing', 'development', 'other']);
  });

  it('lists exactly the deploy levels Lanyard accepts, with GitLab’s descriptions', () => {
    expect(DEPLOY_ACCESS_LEVELS.map((level) => [level, describeDeployAccessLevel(level)])).toEqual([
      [20, null],
      [30, 'Developers + Maintainers'],
      [40, 'Maintainers'],
      [60, null],
    ]);
  });
});
