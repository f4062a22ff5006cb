import { RunnerVariable, toRunnerVariable } from './runner-variable';
import { expandVariableCollection } from './variable-collection';

const v = (key: string, value: string, extra: { raw?: boolean; file?: boolean; masked?: boolean } = {}): RunnerVariable =>
  toRunnerVariable({ key, value, ...extra });
const values = (variables: readonly RunnerVariable[]) =>
  Object.fromEntries(expandVariableCollection(variables).variables.map((variable) => [variable.key, variable.value]));

describe(expandVariableCollection.name, () => {
  it.each<[string, RunnerVariable[], Record<string, string>]>([
    [
      'a variable defined after the one using it (#14)',
      [v('VAULT_AUD', 'https://vault.${CI_SERVER_HOST}'), v('CI_SERVER_HOST', 'gitlab.example.com')],
      { VAULT_AUD: 'https://vault.gitlab.example.com', CI_SERVER_HOST: 'gitlab.example.com' },
    ],
    ['a chain, in any order', [v('A', '$B-a'), v('B', '${C}-b'), v('C', 'c')], { A: 'c-b-a', B: 'c-b', C: 'c' }],
    ['%NAME%', [v('A', '%B%'), v('B', 'b')], { A: 'b' }],
    ['an unknown reference, as ""', [v('A', 'x-$NOPE-y')], { A: 'x--y' }],
    ['$$ and %%, left for the runner', [v('A', '$$B %%B%'), v('B', 'b')], { A: '$$B %%B%' }],
    ['${} and a lone $, left alone', [v('A', 'a${}b$')], { A: 'a${}b$' }],
    ['a raw variable: not expanded itself', [v('A', '$B', { raw: true }), v('B', 'b')], { A: '$B', B: 'b' }],
    ['a reference to a raw variable: its raw value', [v('A', 'x-$R'), v('R', '$B', { raw: true }), v('B', 'b')], { A: 'x-$B' }],
    ['a reference to a file variable: its content', [v('A', '$F'), v('F', 'content', { file: true })], { A: 'content' }],
    ['a value without $ or %, untouched', [v('A', 'plain {B}')], { A: 'plain {B}' }],
    ['a self reference: the earlier definition of the key', [v('PATH', '/bin'), v('PATH', '$PATH:/usr/bin')], { PATH: '/bin:/usr/bin' }],
    ['a self reference without an earlier definition, as ""', [v('A', '$A-x')], { A: '-x' }],
    [
      'a reference to a redefined key: the last definition',
      [v('B', 'first'), v('A', '$B'), v('B', 'second')],
      { A: 'second', B: 'second' },
    ],
    ['a value expanded once: what it expands to is not expanded again', [v('A', '$B'), v('B', '$$C'), v('C', 'c')], { A: '$$C' }],
  ])('expands %s', (_title, variables, expected) => {
    expect(expandVariableCollection(variables).error).toBeNull();
    expect(values(variables)).toMatchObject(expected);
  });

  it('puts each variable after those it refers to and keeps the rest in order', () => {
    const result = expandVariableCollection([v('A', '$C'), v('B', 'b'), v('C', 'c')]);
    expect(result.variables.map((variable) => variable.key)).toEqual(['C', 'A', 'B']);
  });

  it('keeps each variable’s flags', () => {
    const [expanded] = expandVariableCollection([v('A', '$B', { masked: true }), v('B', 'b')]).variables.filter(
      (variable) => variable.key === 'A',
    );
    expect(expanded).toEqual({ key: 'A', value: 'b', public: false, masked: true });
  });

  it.each<[string, RunnerVariable[], string]>([
    ['two variables referring to each other', [v('A', '$B'), v('B', '${A}')], 'circular variable reference detected: ["A", "B"]'],
    [
      'a longer cycle among others',
      [v('X', 'x'), v('A', '$B'), v('B', '$C'), v('C', '%A%-$X')],
      'circular variable reference detected: ["A", "B", "C"]',
    ],
    [
      'two separate cycles',
      [v('A', '$B'), v('B', '$A'), v('C', '$D'), v('D', '$C')],
      'circular variable reference detected: ["A", "B"], ["C", "D"]',
    ],
  ])('reports %s as GitLab does and expands nothing', (_title, variables, error) => {
    const result = expandVariableCollection(variables);
    expect(result.error).toBe(error);
    expect(result.variables).toEqual(variables);
  });

  it('follows a chain of 20,000 references without exhausting the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => v(`V${i}`, i === 19_999 ? 'end' : `$V${i + 1}`));
    expect(values(chain).V0).toBe('end');
  });

  it('detects a cycle through 20,000 variables without hanging', () => {
    const ring = Array.from({ length: 20_000 }, (_, i) => v(`V${i}`, `$V${(i + 1) % 20_000}`));
    expect(expandVariableCollection(ring).error).toMatch(/^circular variable reference detected: \["V0", "V1", /);
  });
});
