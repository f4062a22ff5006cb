import { parseCommands } from './commands';
import { parseCiConfig } from './index';
import type { JobDefinition } from './index';

const errorsOf = (yaml: string): string[] => parseCiConfig(yaml, { optInJwt: true }).errors;
const jobOf = (yaml: string): JobDefinition => {
  const result = parseCiConfig(yaml, { optInJwt: true });
  expect(result.errors).toEqual([]);
  return result.jobs[0];
};

describe(parseCommands.name, () => {
  it.each([
    ['a string', 'setup', ['setup']],
    ['a list', '[a, b]', ['a', 'b']],
    ['nested lists, flattened', '[a, [b, [c]]]', ['a', 'b', 'c']],
    ['an empty list', '[]', []],
  ])('reads before_script and after_script given as %s', (_case, commands, expected) => {
    const job = jobOf(`job: {script: x, before_script: ${commands}, after_script: ${commands}}`);
    expect([job.beforeScript, job.afterScript]).toEqual([expected, expected]);
  });

  it('has no before_script lines and no after_script when none is set', () => {
    expect([jobOf('job: {script: x}').beforeScript, jobOf('job: {script: x}').afterScript]).toEqual([[], null]);
  });

  it.each([
    ['default:', 'default: {before_script: [d], after_script: [e]}\n'],
    ['the legacy top level', 'before_script: [d]\nafter_script: [e]\n'],
  ])('inherits them from %s unless the job sets its own or opts out', (_case, defaults) => {
    const result = parseCiConfig(
      `${defaults}one: {script: x}\ntwo: {script: x, before_script: own}\nthree: {script: x, inherit: {default: [after_script]}}`,
      { optInJwt: true },
    );
    expect(result.jobs.map((job) => [job.beforeScript, job.afterScript])).toEqual([
      [['d'], ['e']],
      [['own'], ['e']],
      [[], ['e']],
    ]);
  });

  it.each([
    ['a number', '5'],
    ['a hash', '{a: b}'],
    ['11 levels of lists', `${'['.repeat(11)}a${']'.repeat(11)}`],
  ])('rejects %s, where it was written', (_case, commands) => {
    const message = (location: string) => `${location} config should be a string or a nested array of strings up to 10 levels deep`;
    expect(errorsOf(`job: {script: x, after_script: ${commands}}`)).toEqual([message('jobs:job:after_script')]);
    expect(errorsOf(`default: {before_script: ${commands}}\njob: {script: x}`)).toEqual([message('default:before_script')]);
    expect(errorsOf(`before_script: ${commands}\njob: {script: x}`)).toEqual([message('before_script')]);
  });

  it('refuses before_script set both at the top level and in default:', () => {
    expect(errorsOf('before_script: [a]\ndefault: {before_script: [b]}\njob: {script: x}')).toEqual([
      'before_script is defined in top-level and `default:` entry',
    ]);
  });

  it('writes the legacy top-level keys into each job of the merged YAML', () => {
    expect(parseCiConfig('image: ruby\njob: {script: x}', { optInJwt: true }).mergedYaml).toBe('job:\n  script: x\n  image: ruby\n');
  });
});
