import fc from 'fast-check';
import { type RunnerVariable, toRunnerVariable } from './runner-variable';
import { EXPANSION_BUDGET, expandVariableCollection } from './variable-collection';

const KEYS = ['A', 'B', 'C', 'D', 'E'];
const piece = fc.oneof(
  fc.constantFrom(...KEYS).chain((key) => fc.constantFrom(`$${key}`, `\${${key}}`, `%${key}%`)),
  fc.constantFrom('$$', '%%', '${}', '$', '%', 'x', ':', ''),
  fc.string({ maxLength: 3 }),
);
const variable = fc
  .record({ key: fc.constantFrom(...KEYS), parts: fc.array(piece, { maxLength: 6 }), raw: fc.boolean(), masked: fc.boolean() })
  .map(({ key, parts, raw, masked }) => toRunnerVariable({ key, value: parts.join(''), raw, masked }));
const length = (variables: readonly RunnerVariable[]) => variables.reduce((sum, each) => sum + each.value.length, 0);

/** Issue 19: expansion ends on any collection, cycles and multiplying references included. */
describe(`${expandVariableCollection.name} (fuzz)`, () => {
  it('ends on every collection, keeps every variable once and grows it by no more than the budget', () => {
    fc.assert(
      fc.property(fc.array(variable, { maxLength: 8 }), (variables) => {
        const result = expandVariableCollection(variables);
        expect(result.variables.map((each) => each.key).sort()).toEqual(variables.map((each) => each.key).sort());
        expect(length(result.variables)).toBeLessThanOrEqual(length(variables) + EXPANSION_BUDGET);
        if (result.error !== null) expect(result.variables).toEqual(variables);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([['$V$V'], ['${V}${V}${V}'], ['%V%%V%']])(
    'refuses references that multiply at each of 40 steps (%s), before building any long value',
    (value) => {
      const variables = [toRunnerVariable({ key: 'V0', value: 'x'.repeat(16) })];
      for (let i = 1; i < 40; i += 1) {
        variables.push(toRunnerVariable({ key: `V${i}`, value: value.replaceAll('V', `V${i - 1}`) }));
      }
      const result = expandVariableCollection(variables);
      expect(result.error).toMatch(/^variable expansion too large: "V\d+" would take the expanded variables past 4194304 characters$/);
      expect(result.variables).toEqual(variables);
    },
  );

  it('still expands a collection that stays within the budget', () => {
    const big = toRunnerVariable({ key: 'BIG', value: 'x'.repeat(10_000) });
    const uses = Array.from({ length: 100 }, (_, i) => toRunnerVariable({ key: `U${i}`, value: '$BIG' }));
    const result = expandVariableCollection([big, ...uses]);
    expect(result.error).toBeNull();
    expect(result.variables.every((each) => each.value === big.value)).toBe(true);
  });
});
