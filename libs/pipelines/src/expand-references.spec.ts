import { expandReferences } from './variable-collection';

describe(expandReferences.name, () => {
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
    // One pass: references inside values are resolved by expanding the collection first.
    ['$NESTED', '$REGION'],
    ['$$REGION and %%', '$$REGION and %%'],
    ['$A_1.$A_1', 'one.one'],
    ['production', 'production'],
    ['price: $5 and ${} and $', 'price: $5 and ${} and $'],
    ['100%', '100%'],
    ['%REGION', '%REGION'],
  ])('%j → %j', (value, expected) => {
    expect(expandReferences(value, variables)).toBe(expected);
  });
});
