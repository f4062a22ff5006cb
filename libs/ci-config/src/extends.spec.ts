import { expandExtends } from './extends';
import { parseCiConfig } from './index';
import type { CiConfigResult } from './index';

const lint = (yaml: string): CiConfigResult => parseCiConfig(yaml, { optInJwt: true });

/** `.t0` with a script, then `.t1` … `.t<n>` each extending the previous one. */
const chain = (n: number): string =>
  ['.t0: {script: x}', ...Array.from({ length: n }, (_, i) => `.t${i + 1}: {extends: .t${i}, variables: {L${i + 1}: "${i + 1}"}}`)].join(
    '\n',
  );

describe(expandExtends.name, () => {
  it('merges three levels, the nearer level winning and hashes merged key by key', () => {
    const result = lint(`
.base:
  script: [base]
  stage: build
  variables: {A: base, B: base}
  environment: {name: production, deployment_tier: production}
.middle:
  extends: .base
  variables: {B: middle, C: middle}
  environment: {action: prepare}
job:
  extends: .middle
  variables: {C: job}
`);
    expect(result.errors).toEqual([]);
    expect(result.jobs).toMatchObject([
      {
        name: 'job',
        stage: 'build',
        script: ['base'],
        variables: { A: 'base', B: 'middle', C: 'job' },
        environment: { name: 'production', deploymentTier: 'production', action: 'prepare' },
        timeoutSeconds: null,
        idTokens: {},
        secrets: {},
        jwtClaims: null,
      },
    ]);
    // Rails' deep_merge: keys keep the place where they first appeared.
    expect(result.mergedYaml).toBe(`job:
  script:
    - base
  stage: build
  variables:
    A: base
    B: middle
    C: job
  environment:
    name: production
    deployment_tier: production
    action: prepare
`);
  });

  it('merges several parents in order, each later one winning, the job over all', () => {
    const result = lint(`
.first: {script: [first], stage: build, variables: {A: first, B: first}}
.second: {stage: deploy, variables: {B: second, C: second}}
job: {extends: [.first, .second], variables: {C: job}}
`);
    expect(result.jobs.map(({ stage, script, variables }) => ({ stage, script, variables }))).toEqual([
      { stage: 'deploy', script: ['first'], variables: { A: 'first', B: 'second', C: 'job' } },
    ]);
  });

  it('replaces arrays and values of different shapes instead of merging them', () => {
    const result = lint(`
.base:
  script: [a, b]
  environment: {name: production}
  id_tokens: {TOKEN: {aud: [one, two]}}
job:
  extends: .base
  script: [c]
  environment: staging
  id_tokens: {TOKEN: {aud: [three]}}
`);
    expect(result.jobs.map(({ script, environment, idTokens }) => ({ script, environment, idTokens }))).toEqual([
      { script: ['c'], environment: { name: 'staging', action: 'start' }, idTokens: { TOKEN: { aud: ['three'] } } },
    ]);
  });

  it('merges id_tokens of a template and a job key by key (extends is a deep merge, unlike default)', () => {
    const result = lint(`
.base: {script: x, id_tokens: {VAULT: {aud: vault}, AWS: {aud: aws}}}
job: {extends: .base, id_tokens: {AWS: {aud: sts}, GCP: {aud: gcp}}}
`);
    expect(result.jobs[0].idTokens).toEqual({ VAULT: { aud: 'vault' }, AWS: { aud: 'sts' }, GCP: { aud: 'gcp' } });
  });

  it('expands a shared parent once per path (diamond)', () => {
    const result = lint(`
.base: {script: x, variables: {A: base}}
.left: {extends: .base, variables: {L: left}}
.right: {extends: .base, variables: {R: right}}
one: {extends: [.left, .right]}
two: {extends: .right}
`);
    expect(result.jobs.map((job) => job.variables)).toEqual([
      { A: 'base', L: 'left', R: 'right' },
      { A: 'base', R: 'right' },
    ]);
  });

  it('lets a job take its script from a template', () => {
    expect(lint('.t: {script: x}\njob: {extends: .t}').jobs.map((job) => job.script)).toEqual([['x']]);
  });

  it('accepts an empty or null extends', () => {
    expect(lint('job: {extends: [], script: x}').errors).toEqual([]);
    expect(lint('job: {extends: null, script: x}').errors).toEqual([]);
  });

  it('allows 11 levels below a job and rejects 12, naming the entry found too deep (GitLab)', () => {
    expect(lint(`${chain(10)}\njob: {extends: .t10}`).errors).toEqual([]);
    expect(lint(`${chain(11)}\njob: {extends: .t11}`).errors).toEqual(['.t1: nesting too deep in `extends`']);
  });

  it('checks the depth again when a template expanded at a shallow place is reached deeper', () => {
    expect(lint(`${chain(10)}\n.t11: {extends: .t10}\njob: {extends: .t11}`).errors).toEqual(['.t1: nesting too deep in `extends`']);
  });

  it.each([
    ['a job extending itself', 'job: {extends: job, script: x}', 'job: circular dependency detected in `extends`'],
    [
      'two templates extending each other',
      '.a: {extends: .b}\n.b: {extends: .a}\njob: {extends: .a, script: x}',
      '.a: circular dependency detected in `extends`',
    ],
    [
      'a loop of three',
      '.a: {extends: .c}\n.b: {extends: .a}\n.c: {extends: .b}\njob: {extends: .b, script: x}',
      '.a: circular dependency detected in `extends`',
    ],
    ['a missing parent', 'job: {extends: .nope, script: x}', 'job: unknown keys in `extends` (.nope)'],
    ['several missing parents', '.t: {script: x}\njob: {extends: [.a, .t, .b]}', 'job: unknown keys in `extends` (.a, .b)'],
    ['a parent missing deeper down', '.t: {extends: .gone}\njob: {extends: .t, script: x}', '.t: unknown keys in `extends` (.gone)'],
    ['a parent that is not a hash', '.t: [script]\njob: {extends: .t, script: x}', 'job: invalid base hashes in `extends` (.t)'],
    [
      'a parent that is a keyword list',
      'stages: [build]\njob: {extends: stages, script: x}',
      'job: invalid base hashes in `extends` (stages)',
    ],
    ['extends as a hash', 'job: {extends: {a: b}, script: x}', 'jobs:job extends should be an array of strings or a string'],
    ['extends with a number', '.t: {script: x}\njob: {extends: [.t, 1]}', 'jobs:job extends should be an array of strings or a string'],
  ])('stops at %s with GitLab’s message, and nothing else', (_case, yaml, error) => {
    expect(lint(yaml)).toEqual({ valid: false, errors: [error], warnings: [], stages: [], jobs: [], mergedYaml: null });
  });

  it('reports the first problem in the order the entries are written', () => {
    expect(lint('one: {extends: .missing, script: x}\ntwo: {extends: two, script: x}').errors).toEqual([
      'one: unknown keys in `extends` (.missing)',
    ]);
  });
});
