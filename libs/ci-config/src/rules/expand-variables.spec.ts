import { expandExisting, expandVariables } from './expand-variables';

const variables = { DIR: 'src', NESTED: '$DIR/x', EMPTY: '' };

describe(expandExisting.name, () => {
  it.each([
    ['$DIR/**/*', 'src/**/*'],
    ['${DIR}/a', 'src/a'],
    ['%DIR%/a', 'src/a'],
    ['$UNDEFINED/a', '$UNDEFINED/a'],
    ['${UNDEFINED}', '${UNDEFINED}'],
    ['$NESTED', '$DIR/x'], // one level: values are not expanded again
    ['$EMPTY/a', '/a'],
    ['$$DIR', '$src'],
    ['$1', '$1'], // names start with a letter or underscore
    ['$constructor', '$constructor'],
  ])('expands %p to %p', (value, expected) => {
    expect(expandExisting(value, variables)).toBe(expected);
  });
});

describe(expandVariables.name, () => {
  it('replaces undefined variables with nothing', () => {
    expect(expandVariables('Build $DIR for $UNDEFINED!', variables)).toBe('Build src for !');
  });
});
