import { resolveReferences } from './references';
import { parseCiConfig } from './index';
import type { CiConfigResult } from './index';

const lint = (yaml: string): CiConfigResult => parseCiConfig(yaml, { optInJwt: true });
const scriptOf = (yaml: string, job = 'job'): readonly string[] | undefined => {
  const result = lint(yaml);
  expect(result.errors).toEqual([]);
  return result.jobs.find((entry) => entry.name === job)?.script;
};

describe(resolveReferences.name, () => {
  it.each([
    ['a whole script', '.setup: {script: [a, b]}\njob: {script: !reference [.setup, script]}', ['a', 'b']],
    [
      'a script among lines (nested list, flattened)',
      '.setup: {script: [a, b]}\njob: {script: [!reference [.setup, script], c]}',
      ['a', 'b', 'c'],
    ],
    ['a block sequence', '.setup:\n  script: [a]\njob:\n  script:\n    - !reference\n      - .setup\n      - script\n    - b', ['a', 'b']],
    ['a single line', '.lines: {one: echo 1}\njob: {script: [!reference [.lines, one]]}', ['echo 1']],
    [
      'nested references (GitLab’s documented example)',
      '.snippets:\n  one: [echo ONE]\n  two: [!reference [.snippets, one], echo TWO]\n  three: [!reference [.snippets, two], echo THREE]\njob: {script: [!reference [.snippets, three]]}',
      ['echo ONE', 'echo TWO', 'echo THREE'],
    ],
    [
      'a value that extends set (references run after extends)',
      '.base: {script: [a]}\n.t: {extends: .base}\njob: {script: !reference [.t, script]}',
      ['a'],
    ],
    [
      'a top-level key',
      'variables: {X: "1"}\n.s: {script: [x]}\njob: {script: !reference [.s, script], variables: !reference [variables]}',
      ['x'],
    ],
    ['another job', 'one: {script: [a]}\njob: {script: !reference [one, script]}', ['a']],
  ])('resolves %s', (_case, yaml, script) => {
    expect(scriptOf(yaml)).toEqual(script);
  });

  it('takes one variable or all of them', () => {
    const result = lint(
      '.vars: {variables: {URL: u, IMPORTANT: d}}\njob: {script: x, variables: {MY: !reference [.vars, variables, IMPORTANT]}}\nall: {script: x, variables: !reference [.vars, variables]}',
    );
    expect(result.jobs.map((job) => job.variables)).toEqual([{ MY: 'd' }, { URL: 'u', IMPORTANT: 'd' }]);
  });

  it('writes the resolved values into the merged YAML', () => {
    expect(lint('.s: {script: [a]}\njob: {script: [!reference [.s, script], b]}').mergedYaml).toBe('job:\n  script:\n    - - a\n    - b\n');
  });

  it.each([
    ['a missing key', 'job: {script: !reference [.setup, script]}', '!reference [".setup", "script"] could not be found'],
    [
      'a missing nested key',
      '.s: {script: [a]}\njob: {script: !reference [.s, before_script]}',
      '!reference [".s", "before_script"] could not be found',
    ],
    [
      'a path through a string',
      '.s: {script: a}\njob: {script: !reference [.s, script, x]}',
      '!reference [".s", "script", "x"] could not be found',
    ],
    [
      'a path through a list',
      '.s: {script: [a]}\njob: {script: !reference [.s, script, "0"]}',
      '!reference [".s", "script", "0"] could not be found',
    ],
    ['a path to null', '.s: {script: }\njob: {script: !reference [.s, script]}', '!reference [".s", "script"] could not be found'],
    [
      'a path to false',
      '.s: {flag: false}\njob: {script: x, interruptible: !reference [.s, flag]}',
      '!reference [".s", "flag"] could not be found',
    ],
    [
      'a path through another reference',
      '.a: {script: [x]}\n.b: !reference [.a]\njob: {script: !reference [.b, script]}',
      '!reference [".b", "script"] could not be found',
    ],
    ['an empty sequence', 'job: {script: !reference []}', '!reference [] is not valid'],
    ['a number in the path', 'job: {script: !reference [.s, 1]}', '!reference [".s", 1] is not valid'],
    ['a scalar', 'job: {script: !reference .s}', '!reference ".s" is not valid'],
    ['a blank scalar', 'job: {script: !reference ""}', '!reference nil is not valid'],
    ['a mapping', 'job: {script: !reference {a: b}}', '!reference {"a"=>"b"} is not valid'],
    ['a self-reference', 'job: {script: !reference [job, script]}', '!reference ["job", "script"] is part of a circular chain'],
    [
      'a cycle',
      '.a: {script: !reference [.b, script]}\n.b: {script: !reference [.a, script]}\njob: {script: !reference [.a, script]}',
      '!reference [".b", "script"] is part of a circular chain',
    ],
    ['a reference to its own job', 'job: {script: [x], variables: !reference [job]}', '!reference ["job"] is part of a circular chain'],
    [
      'quotes and #{ in the path, as Ruby inspects them',
      'job: {script: !reference [".a\\"#{b}", c]}',
      '!reference [".a\\"\\#{b}", "c"] could not be found',
    ],
  ])('reports %s as GitLab does, and stops there', (_case, yaml, error) => {
    expect(lint(yaml)).toMatchObject({ valid: false, errors: [error], mergedYaml: null });
  });

  it('refuses a chain that follows more than 50 references at once', () => {
    const chain = (length: number): string =>
      Array.from({ length }, (_, i) => `.r${i}: {v: ${i + 1 < length ? `!reference [.r${i + 1}, v]` : 'x'}}`).join('\n') +
      '\njob: {script: x, variables: {A: !reference [.r0, v]}}';
    expect(lint(chain(51)).jobs[0]?.variables).toEqual({ A: 'x' });
    expect(lint(chain(52)).errors).toEqual(['!reference [".r51", "v"] is nested too deeply (maximum is 50 references)']);
  });

  it('stops a reference bomb at the expanded size limit, quickly', () => {
    const levels = ['.l0: [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i <= 8; i++)
      levels.push(
        `.l${i}: [${Array(10)
          .fill(`!reference [.l${i - 1}]`)
          .join(', ')}]`,
      );
    const start = performance.now();
    expect(lint(`${levels.join('\n')}\nstages: !reference [.l8]\njob: {script: x}`).errors).toEqual([
      'config is too large once aliases and extends are expanded (max 250000 values)',
    ]);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
