import { loadYaml } from './yaml-loader';
import { parseCiConfig } from './index';

const errorsOf = (yaml: string): string[] => parseCiConfig(yaml, { optInJwt: true }).errors;
const MB = 1024 * 1024;

/** Runs `fn` and returns how long it took, in milliseconds. */
function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const billionLaughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat('bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`))
  .join('\n');

describe(loadYaml.name, () => {
  it.each([
    ['empty', ''],
    ['whitespace', '  \n\t\n'],
    ['only a comment', '# nothing here\n'],
    ['an empty document', '---\n'],
  ])('asks for content when the source is %s', (_case, source) => {
    expect(errorsOf(source)).toEqual(['Please provide content of .gitlab-ci.yml']);
  });

  it.each([
    ['a sequence', '- a\n- b'],
    ['a string', 'just text'],
    ['a number', '42'],
  ])('rejects a root that is %s', (_case, source) => {
    expect(errorsOf(source)).toEqual(['Invalid configuration format']);
  });

  describe('size', () => {
    it('rejects more than 1 MB quickly, before parsing', () => {
      let errors: string[] = [];
      expect(timed(() => (errors = errorsOf(`job: {script: x}\n#${'x'.repeat(MB)}`)))).toBeLessThan(500);
      expect(errors).toEqual(['config is too large (max 1 MB)']);
    });

    it('counts UTF-8 bytes, not characters', () => {
      expect(errorsOf(`job: {script: x}\n#${'é'.repeat(MB / 2)}`)).toEqual(['config is too large (max 1 MB)']);
    });

    it('accepts exactly 1 MB', () => {
      const head = 'job: {script: x}\n#';
      expect(errorsOf(head + 'x'.repeat(MB - head.length))).toEqual([]);
    });

    it('counts the global variables and default: once per job that receives them', () => {
      const variables = `variables:\n${Array.from({ length: 3000 }, (_, i) => `  V${i}: x`).join('\n')}`;
      const jobs = (count: number): string => Array.from({ length: count }, (_, i) => `job${i}: {script: x}`).join('\n');
      expect(errorsOf(`${variables}\n${jobs(10)}`)).toEqual([]);
      expect(errorsOf(`${variables}\n${jobs(100)}`)).toEqual([
        'config is too large once aliases and extends are expanded (max 250000 values)',
      ]);
    });

    it('bounds what aliases and extends expand to', () => {
      const lines = Array.from({ length: 5000 }, (_, i) => `    - echo ${i}`).join('\n');
      const jobs = Array.from({ length: 60 }, (_, i) => `job${i}: {extends: .template}`).join('\n');
      expect(errorsOf(`.template:\n  script:\n${lines}\n${jobs}`)).toEqual([
        'config is too large once aliases and extends are expanded (max 250000 values)',
      ]);
    });
  });

  describe('nesting', () => {
    const flow = (levels: number): string => `job: {script: x}\nnested: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}`;

    it('accepts 50 levels and rejects 51', () => {
      expect(errorsOf(flow(50))).toEqual(['jobs nested config should implement the script:, run:, or trigger: keyword']);
      expect(errorsOf(flow(51))).toEqual(['config is nested too deeply (max 50 levels)']);
    });

    it.each([
      ['flow sequences', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['flow mappings', `a: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`],
      ['compact sequences', `${'- '.repeat(10_000)}x`],
      ['block mappings', Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
      ['block sequences', Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}-`).join('\n')],
    ])('rejects deep %s before the recursive parser sees them', (_case, source) => {
      expect(errorsOf(source)).toEqual(['config is nested too deeply (max 50 levels)']);
    });

    it('bounds the depth that aliases of aliases build', () => {
      const levels = Array.from({ length: 5 }, (_, i) => `l${i + 1}: &l${i + 1} ${'['.repeat(20)}*l${i}${']'.repeat(20)}`);
      expect(errorsOf(['l0: &l0 x', ...levels].join('\n'))).toEqual(['config is nested too deeply (max 50 levels)']);
    });

    // A stack overflow inside the YAML library left V8's regexp engine broken and aborted the next parse.
    it('keeps working after rejecting very deep input', () => {
      const deep = `a: ${'['.repeat(1000)}${']'.repeat(1000)}`;
      expect(errorsOf(deep)).toEqual(['config is nested too deeply (max 50 levels)']);
      expect(errorsOf(deep)).toEqual(['config is nested too deeply (max 50 levels)']);
      expect(errorsOf(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual(['config is nested too deeply (max 50 levels)']);
      expect(errorsOf('job: {script: x}')).toEqual([]);
    });
  });

  describe('anchors and aliases', () => {
    it('rejects an alias bomb quickly', () => {
      let errors: string[] = [];
      expect(timed(() => (errors = errorsOf(billionLaughs)))).toBeLessThan(500);
      expect(errors).toEqual(['config uses too many YAML alias expansions (max 100 per anchor)']);
    });

    // The YAML library counts the anchor itself: 99 aliases are 100 uses.
    it('allows 99 aliases of one anchor and rejects 100', () => {
      const jobs = (count: number): string =>
        ['.defaults: &defaults {script: x}', ...Array.from({ length: count }, (_, i) => `job${i}: *defaults`)].join('\n');
      expect(errorsOf(jobs(99))).toEqual([]);
      expect(errorsOf(jobs(100))).toEqual(['config uses too many YAML alias expansions (max 100 per anchor)']);
    });

    it('rejects more than 1000 anchors and aliases', () => {
      const pairs = (count: number): string =>
        Array.from({ length: count }, (_, i) => `.a${i}: &a${i} {script: x}\njob${i}: *a${i}`).join('\n');
      expect(errorsOf(pairs(500))).toEqual([]);
      expect(errorsOf(`${pairs(500)}\n.extra: &extra x`)).toEqual(['config uses too many YAML anchors and aliases (max 1000)']);
    });

    it('supports merge keys, the job’s own keys winning', () => {
      const result = parseCiConfig('.defaults: &defaults {script: x, stage: build}\njob:\n  <<: *defaults\n  stage: deploy', {
        optInJwt: true,
      });
      expect(result.jobs.map(({ name, stage, script }) => ({ name, stage, script }))).toEqual([
        { name: 'job', stage: 'deploy', script: ['x'] },
      ]);
    });

    it.each([
      [
        'an undefined alias',
        'job: {script: *nope}',
        'Invalid configuration format: Unresolved alias (the anchor must be set before the alias): nope',
      ],
      [
        'a merge of a list',
        'list: &list [a]\njob: {<<: *list, script: x}',
        'Invalid configuration format: Merge sources must be maps or map aliases',
      ],
    ])('rejects %s', (_case, source, error) => {
      expect(errorsOf(source)).toEqual([error]);
    });
  });

  describe('keys', () => {
    it('rejects duplicate keys at any level, naming each', () => {
      expect(errorsOf('job: {script: x}\njob: {script: y}\nother: {script: x, stage: a, stage: b}')).toEqual([
        'Invalid configuration format: duplicate key job at line 2, column 1',
        'Invalid configuration format: duplicate key stage at line 3, column 30',
      ]);
    });

    it('allows several merge keys in one mapping', () => {
      expect(errorsOf('.a: &a {script: x}\n.b: &b {stage: build}\njob:\n  <<: *a\n  <<: *b')).toEqual([]);
    });

    it('keeps keys as written: YAML 1.1 booleans and numbers stay names', () => {
      const result = parseCiConfig('on: {script: x}\nyes: {script: x}\n010: {script: x}\n1.5: {script: x}', { optInJwt: true });
      expect(result.jobs.map((job) => job.name)).toEqual(['on', 'yes', '010', '1.5']);
    });

    it('rejects a key that is not a scalar', () => {
      expect(errorsOf('[a, b]: {script: x}')).toEqual([
        'Invalid configuration format: With stringKeys, all keys must be strings at line 1, column 1',
      ]);
    });
  });

  describe('scalars', () => {
    const variable = (value: string): string[] | Record<string, string> => {
      const result = parseCiConfig(`job: {script: x, variables: {A: ${value}}}`, { optInJwt: true });
      return result.valid ? result.jobs[0].variables : result.errors;
    };

    it.each([
      ['y', { A: 'y' }],
      ['n', { A: 'n' }],
      ['0o17', { A: '0o17' }],
      ['2024-01-31', { A: '2024-01-31' }],
      ['"yes"', { A: 'yes' }],
      ['!!str 012', { A: '012' }],
      ['0x1F', { A: '31' }],
      ['1_000', { A: '1000' }],
      ['1:30', { A: '90' }],
      ['012', { A: '10' }],
    ])('reads %s as Psych (YAML 1.1) does', (value, expected) => {
      expect(variable(value)).toEqual(expected);
    });

    it.each(['yes', 'No', 'ON', 'off', 'true', 'False', '~', 'null', '1.5', '.inf'])('reads %s as a non-string', (value) => {
      expect(variable(value)).toEqual(['jobs:job:variables:A variable definition must be either a string or a hash']);
    });

    it.each([
      ['a NUL escape in a value', 'job: {script: "echo \\0"}'],
      ['a NUL escape in a key', '"jo\\0b": {script: x}'],
      ['a lone surrogate escape', 'job: {script: "echo \\ud800"}'],
      ['a lone surrogate behind an alias', 'x: &x "\\udc00"\njob: {script: [*x]}'],
    ])('rejects %s, which PostgreSQL could not store', (_case, source) => {
      expect(errorsOf(source)).toEqual(['Invalid configuration format: a string contains a NUL character or an unpaired surrogate']);
    });

    it('accepts characters outside the Basic Multilingual Plane', () => {
      expect(variable('"\\ud83d\\ude80 🚀"')).toEqual({ A: '🚀 🚀' });
    });
  });

  describe('syntax and tags', () => {
    it.each([
      ['a custom tag', 'job: {script: !ruby/object x}', 'Unresolved tag: !ruby/object at line 1, column 15'],
      ['!!binary', 'job: {script: !!binary aGk=}', 'Unresolved tag: tag:yaml.org,2002:binary at line 1, column 15'],
      ['!!set', 'job: {script: x, variables: !!set {a}}', 'Unresolved tag: tag:yaml.org,2002:set at line 1, column 29'],
      ['!!omap', 'job: !!omap [script: x]', 'Unresolved tag: tag:yaml.org,2002:omap at line 1, column 6'],
      [
        '!!timestamp',
        'job: {script: x, variables: {A: !!timestamp 2024-01-01}}',
        'Unresolved tag: tag:yaml.org,2002:timestamp at line 1, column 33',
      ],
    ])('rejects %s', (_case, source, detail) => {
      expect(errorsOf(source)).toEqual([`Invalid configuration format: ${detail}`]);
    });

    it.each([
      [
        'an unclosed flow sequence',
        'job:\n  script: [a, b\n',
        'Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1',
      ],
      ['a tab indentation', 'job:\n\tscript: x\n', 'Tabs are not allowed as indentation at line 2, column 1'],
      ['a second document', 'job: {script: x}\n---\nother: {script: y}\n', 'multiple documents are not supported at line 2, column 1'],
    ])('reports %s with its position', (_case, source, detail) => {
      expect(errorsOf(source)).toEqual([`Invalid configuration format: ${detail}`]);
    });
  });
});
