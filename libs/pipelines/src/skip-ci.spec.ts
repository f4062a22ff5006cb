import { commitMessageSkipsCi } from './skip-ci';

describe(commitMessageSkipsCi.name, () => {
  it.each([
    ['[skip ci]', true],
    ['[ci skip]', true],
    ['Docs\n\n[CI-Skip]', true],
    ['[skip_ci] trailing', true],
    ['[SKIP-CI]', true],
    ['skip ci', false],
    ['[skip  ci]', false],
    ['[skipci]', false],
    ['(skip ci)', false],
    ['', false],
    [null, false],
  ] as const)('%j: %s', (message, expected) => {
    expect(commitMessageSkipsCi(message)).toBe(expected);
  });
});
