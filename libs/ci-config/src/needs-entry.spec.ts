import { checkJobGraph } from './job-graph';
import { parseDependencies, parseNeeds } from './needs-entry';
import { parseCiConfig } from './index';
import type { CiConfigResult } from './index';

const lint = (yaml: string): CiConfigResult => parseCiConfig(yaml, { optInJwt: true });
const STAGES = 'stages: [build, test, deploy]\n';
const BUILD = 'build: {stage: build, script: x}\n';

describe(parseNeeds.name, () => {
  it.each([
    ['names', 'needs: [build]', [{ job: 'build', artifacts: true, optional: false }]],
    ['an empty list (start at once)', 'needs: []', []],
    ['a hash', 'needs: [{job: build, artifacts: false}]', [{ job: 'build', artifacts: false, optional: false }]],
    ['a single hash', 'needs: {job: build}', [{ job: 'build', artifacts: true, optional: false }]],
    [
      'an optional need of a job that does not exist',
      'needs: [{job: lint, optional: true}]',
      [{ job: 'lint', artifacts: true, optional: true }],
    ],
    ['nested lists, flattened', 'needs: [[build]]', [{ job: 'build', artifacts: true, optional: false }]],
  ])('accepts %s', (_case, needs, expected) => {
    const result = lint(`${STAGES}${BUILD}job: {stage: test, script: x, ${needs}}`);
    expect(result.errors).toEqual([]);
    expect(result.jobs[1].needs).toEqual(expected);
  });

  it('accepts a need in the same stage (GitLab 14+) and leaves needs null when unset', () => {
    const result = lint(`${STAGES}${BUILD}job: {stage: build, script: x, needs: [build]}\nother: {stage: test, script: x}`);
    expect(result.errors).toEqual([]);
    expect(result.jobs.map((job) => job.needs?.length ?? null)).toEqual([null, 1, null]);
  });

  it.each([
    ['a string', 'needs: build', ['jobs:job:needs config can only be a hash or an array']],
    ['an empty hash', 'needs: {}', ['jobs:job:needs config can not be an empty hash']],
    ['a number', 'needs: [1]', ['jobs:job:needs:need has an unsupported type']],
    ['a hash without job', 'needs: [{artifacts: true}]', ['jobs:job:needs:need has an unsupported type']],
    [
      'another pipeline’s job (not built)',
      'needs: [{job: build, pipeline: $PARENT}]',
      ['jobs:job:needs:need config contains unknown keys: pipeline'],
    ],
    [
      'another project’s job (not built)',
      'needs: [{job: build, project: a/b, ref: main}]',
      ['jobs:job:needs:need config contains unknown keys: project, ref'],
    ],
    ['a blank name', 'needs: [""]', ["jobs:job:needs:need config can't be blank"]],
    ['a job that is a number', 'needs: [{job: 5}]', ['jobs:job:needs:need job should be a string']],
    ['artifacts as a string', 'needs: [{job: build, artifacts: "no"}]', ['jobs:job:needs:need artifacts should be a boolean value']],
    ['an undefined job', 'needs: [lint]', ['job job: undefined need: lint']],
    ['a later stage', 'needs: [deploy]', ['job job: need deploy is not defined in current or prior stages']],
    ['duplicates', 'needs: [build, build, {job: build}]', ['job has the following needs duplicated: build.']],
  ])('rejects %s', (_case, needs, errors) => {
    expect(lint(`${STAGES}${BUILD}job: {stage: test, script: x, ${needs}}\ndeploy: {stage: deploy, script: x}`).errors).toEqual(errors);
  });

  it('allows 50 needs and refuses 51, counted after parallel: expansion', () => {
    expect(lint(`${BUILD}lint: {stage: build, script: x, parallel: 49}\njob: {script: x, needs: [build, lint]}`).errors).toEqual([]);
    expect(lint(`${BUILD}lint: {stage: build, script: x, parallel: 50}\njob: {script: x, needs: [build, lint]}`).errors).toEqual([
      'job: one job can only need 50 others, but you have listed 51. See needs keyword documentation for more details',
    ]);
  });
});

describe(parseDependencies.name, () => {
  it('reads the names, empty meaning none, null when unset', () => {
    const result = lint(
      `${STAGES}${BUILD}a: {stage: test, script: x, dependencies: [build]}\nb: {stage: test, script: x, dependencies: []}`,
    );
    expect(result.jobs.map((job) => job.dependencies)).toEqual([null, ['build'], []]);
  });

  it.each([
    ['a string', 'dependencies: build', ['jobs:job dependencies should be an array of strings']],
    ['an undefined job', 'dependencies: [lint]', ['job job: undefined dependency: lint']],
    ['a later stage', 'dependencies: [deploy]', ['job job: dependency deploy is not defined in current or prior stages']],
    ['a job not in needs', 'needs: [build], dependencies: [build, other]', ['jobs:job dependencies the other should be part of needs']],
  ])('rejects %s', (_case, dependencies, errors) => {
    expect(
      lint(
        `${STAGES}${BUILD}other: {stage: build, script: x}\njob: {stage: test, script: x, ${dependencies}}\ndeploy: {stage: deploy, script: x}`,
      ).errors,
    ).toEqual(errors);
  });
});

describe(checkJobGraph.name, () => {
  it.each([
    ['a self-need', 'a: {script: x, needs: [a]}', 'The pipeline has circular dependencies: self-dependency: a'],
    [
      'a three-job cycle, named as Ruby’s TSort names it',
      'job_a: {script: x, needs: [job_c]}\njob_b: {script: x, needs: [job_a]}\njob_c: {script: x, needs: [job_b]}',
      'The pipeline has circular dependencies: topological sort failed: ["job_a", "job_c", "job_b"]',
    ],
    [
      'a two-job cycle',
      'a: {script: x, needs: [b]}\nb: {script: x, needs: [a]}\nc: {script: x}',
      'The pipeline has circular dependencies: topological sort failed: ["a", "b"]',
    ],
  ])('reports %s', (_case, yaml, error) => {
    expect(lint(yaml).errors).toEqual([error]);
  });

  it('accepts a diamond and a long chain without recursion', () => {
    expect(lint('a: {script: x}\nb: {script: x, needs: [a]}\nc: {script: x, needs: [a]}\nd: {script: x, needs: [b, c]}').errors).toEqual(
      [],
    );
    const chain = Array.from({ length: 3000 }, (_, i) => `j${i}: {script: x${i > 0 ? `, needs: [j${i - 1}]` : ''}}`).join('\n');
    expect(lint(chain).errors).toEqual([]);
  });
});
