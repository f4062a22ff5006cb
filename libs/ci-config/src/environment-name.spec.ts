import { isValidEnvironmentName } from './environment-name';

describe(isValidEnvironmentName.name, () => {
  it.each([
    ['production', true],
    ['review/feature-x', true],
    ['review/${CI_COMMIT_REF_SLUG}', true],
    ['Prod EU 1.2_a', true],
    ['a', true],
    ['x'.repeat(255), true],
    ['x'.repeat(256), false],
    ['', false],
    ['/production', false],
    ['production/', false],
    ['/', false],
    ['prod:eu', false],
    ['prod*', false],
    ['prod\nx', false],
    ['prod\u0000', false],
    ['prödüction', false],
  ])('%j → %s', (name, valid) => {
    expect(isValidEnvironmentName(name)).toBe(valid);
  });
});
