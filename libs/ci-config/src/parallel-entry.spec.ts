import { expandParallelJobs, parseParallel } from './parallel-entry';
import { parseCiConfig } from './index';
import type { CiConfigResult } from './index';

const lint = (yaml: string): CiConfigResult => parseCiConfig(yaml, { optInJwt: true });

describe(parseParallel.name, () => {
  it('makes N jobs named `name i/N`, each knowing its index', () => {
    const result = lint('test: {script: x, parallel: 3}');
    expect(result.jobs.map(({ name, parallel }) => ({ name, parallel }))).toEqual([
      { name: 'test 1/3', parallel: { index: 1, total: 3 } },
      { name: 'test 2/3', parallel: { index: 2, total: 3 } },
      { name: 'test 3/3', parallel: { index: 3, total: 3 } },
    ]);
  });

  it('makes one job per matrix combination, the first variable varying slowest, values as variables', () => {
    const result = lint(`
deploy:
  script: x
  variables: {PROVIDER: none, KEEP: k}
  parallel:
    matrix:
      - PROVIDER: aws
        STACK: [monitoring, app1]
      - PROVIDER: [gcp, vultr]
        STACK: data
        VERSION: 3
`);
    expect(result.errors).toEqual([]);
    expect(result.jobs.map(({ name, variables, parallel }) => ({ name, variables, parallel }))).toEqual([
      {
        name: 'deploy: [aws, monitoring]',
        variables: { PROVIDER: 'aws', KEEP: 'k', STACK: 'monitoring' },
        parallel: { index: 1, total: 4 },
      },
      { name: 'deploy: [aws, app1]', variables: { PROVIDER: 'aws', KEEP: 'k', STACK: 'app1' }, parallel: { index: 2, total: 4 } },
      {
        name: 'deploy: [gcp, data, 3]',
        variables: { PROVIDER: 'gcp', KEEP: 'k', STACK: 'data', VERSION: '3' },
        parallel: { index: 3, total: 4 },
      },
      {
        name: 'deploy: [vultr, data, 3]',
        variables: { PROVIDER: 'vultr', KEEP: 'k', STACK: 'data', VERSION: '3' },
        parallel: { index: 4, total: 4 },
      },
    ]);
  });

  it('accepts 200 jobs and a 200-combination matrix', () => {
    expect(lint('t: {script: x, parallel: 200}').jobs).toHaveLength(200);
    const values = (count: number) => `[${Array.from({ length: count }, (_, i) => `v${i}`).join(', ')}]`;
    expect(lint(`t: {script: x, parallel: {matrix: [{A: ${values(10)}, B: ${values(20)}}]}}`).jobs).toHaveLength(200);
  });

  it.each([
    ['0', '0', ['jobs:t:parallel config must be greater than or equal to 1']],
    ['201', '201', ['jobs:t:parallel config must be less than or equal to 200']],
    ['a string', 'five', ['jobs:t:parallel should be an integer or a hash']],
    ['1.5', '1.5', ['jobs:t:parallel should be an integer or a hash']],
    [
      'a hash without matrix',
      '{count: 2}',
      ['jobs:t:parallel config contains unknown keys: count', 'jobs:t:parallel config missing required keys: matrix'],
    ],
    ['a matrix that is a hash', '{matrix: {A: [a]}}', ['jobs:t:parallel:matrix config should be an array of hashes']],
    ['a matrix entry without variables', '{matrix: [{}]}', ['jobs:t:parallel:matrix:variables config requires at least 1 items']],
    [
      'a matrix value that is a hash',
      '{matrix: [{A: {b: c}}]}',
      ['jobs:t:parallel:matrix:variables config should be a hash of key value pairs, value can be an array'],
    ],
    [
      'a matrix of 201 combinations',
      `{matrix: [{A: [${Array.from({ length: 201 }, (_, i) => `v${i}`).join(', ')}]}]}`,
      ['jobs:t:parallel:matrix config generates too many jobs (maximum is 200)'],
    ],
  ])('rejects %s', (_case, parallel, errors) => {
    expect(lint(`t: {script: x, parallel: ${parallel}}`).errors).toEqual(errors);
  });
});

describe(expandParallelJobs.name, () => {
  it('points needs and dependencies at every generated job', () => {
    const result = lint(
      'build: {stage: build, script: x, parallel: 2}\ntest: {script: x, needs: [{job: build, artifacts: false}], dependencies: [build]}',
    );
    expect(result.errors).toEqual([]);
    expect(result.jobs[2].needs).toEqual([
      { job: 'build 1/2', artifacts: false, optional: false },
      { job: 'build 2/2', artifacts: false, optional: false },
    ]);
    expect(result.jobs[2].dependencies).toEqual(['build 1/2', 'build 2/2']);
  });

  it('refuses an expansion past the expanded-size limit', () => {
    const jobs = Array.from({ length: 40 }, (_, i) => `p${i}: {stage: build, script: x, parallel: 200}`).join('\n');
    const needers = Array.from(
      { length: 40 },
      (_, i) => `n${i}: {script: x, parallel: 200, needs: [${Array.from({ length: 40 }, (_, j) => `p${j}`).join(', ')}]}`,
    ).join('\n');
    expect(lint(`${jobs}\n${needers}`).errors).toEqual(['config is too large once aliases and extends are expanded (max 250000 values)']);
  });
});
