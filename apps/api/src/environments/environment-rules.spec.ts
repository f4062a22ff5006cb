import { DEPLOY_ACCESS_LEVELS } from '@lanyard/access';
import { describeDeployAccessLevel } from './environment-rules';

// The tiers are @lanyard/ci-config's DEPLOYMENT_TIERS, listed exactly by its keywords spec.
describe('DEPLOY_ACCESS_LEVELS', () => {
  it('lists exactly the deploy levels Lanyard accepts, with GitLab’s descriptions', () => {
    expect(DEPLOY_ACCESS_LEVELS.map((level) => [level, describeDeployAccessLevel(level)])).toEqual([
      [20, null],
      [30, 'Developers + Maintainers'],
      [40, 'Maintainers'],
      [60, null],
    ]);
  });
});
