import { expandVariablesOnce } from './expand-variables-once';

describe(expandVariablesOnce.name, () => {
  const variables = new Map([
    ['CI_COMMIT_REF_SLUG', 'feature-x'],
    ['REGION', 'eu'],
    ['NESTED', '$REGION'],
    ['EMPTY', ''],
    ['A_1', 'one'],
  ]);

  it.each([
    ['review/$CI_COMMIT_REF_SLUG', 'review/feature-x'],
    ['review/${CI_COMMIT_REF_SLUG}', 'review/feature-x'],
    ['review/%CI_COMMIT_REF_SLUG%', 'review/feature-x'],
    ['${REGION}-$REGION-%REGION%', 'eu-eu-eu'],
    ['$REGIONAL', ''],
    ['${REGION}AL', 'euAL'],
    ['$UNKNOWN/x', '/x'],
    ['${UNKNOWN}', ''],
    ['$EMPTY', ''],
    ['$NESTED', '$REGION'],
    ['$A_1.$A_1', 'one.one'],
    ['production', 'production'],
    ['price: $5 and ${} and $', 'price: $5 and ${} and $'],
    ['100%', '100%'],
    ['%REGION', '%REGION'],
  ])('%j → %j', (value, expected) => {
    expect(expandVariablesOnce(value, variables)).toBe(expected);
  });
});
