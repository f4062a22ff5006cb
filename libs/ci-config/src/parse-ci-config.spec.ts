import { parseCiConfig } from './index';
import type { CiConfigResult, JobDefinition } from './index';

const lint = (yaml: string, optInJwt = true): CiConfigResult => parseCiConfig(yaml, { optInJwt });

/** A job with every field at its default, for `{ ...bare, … }` expectations. */
const bare = (name: string, script: string[] = ['x']): JobDefinition => ({
  name,
  stage: 'test',
  script,
  variables: {},
  environment: null,
  timeoutSeconds: null,
  idTokens: {},
  secrets: {},
  jwtClaims: null,
  beforeScript: [],
  afterScript: null,
  image: null,
  services: [],
  artifacts: null,
  cache: [],
  tags: [],
  when: 'on_success',
  startInSeconds: null,
  allowFailure: false,
  allowFailureExitCodes: null,
  retry: null,
  interruptible: false,
  needs: null,
  dependencies: null,
  coverage: null,
  resourceGroup: null,
  parallel: null,
});

describe(parseCiConfig.name, () => {
  const deployPipeline = `
stages: [build, deploy]
variables:
  REGION: eu-west-1
  RETRIES: 3
  DOCS: {value: https://docs.example.com, description: Where the docs live}
default:
  id_tokens:
    VAULT_ID_TOKEN: {aud: https://vault.example.com}
    AWS_TOKEN: {aud: [sts.amazonaws.com, "$EXTRA_AUD"]}
  timeout: 1h 30m
.deploy-template:
  stage: deploy
  environment: {name: production, deployment_tier: production}
  jwt_claims:
    - team: platform
    - "https://aws.amazon.com/tags": [a, b]
build:
  stage: build
  script:
    - make
    - [make test, make lint]
  inherit: {default: false, variables: [REGION]}
deploy:
  extends: .deploy-template
  script: ./deploy.sh
  variables: {REGION: us-east-1}
  secrets:
    DB_PASSWORD:
      vault: production/db/password@ops
      token: $VAULT_ID_TOKEN
    API_KEY:
      vault: {engine: {name: kv-v1, path: secret}, path: ci/api, field: key}
      file: false
`;

  it('returns typed job definitions for a valid pipeline', () => {
    const result = lint(deployPipeline);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      'jobs:deploy:secrets:API_KEY has no token: and the job has several id tokens; the first, VAULT_ID_TOKEN, is used',
    ]);
    expect(result.valid).toBe(true);
    expect(result.stages).toEqual(['.pre', 'build', 'deploy', '.post']);
    expect(result.jobs).toEqual([
      {
        ...bare('build', ['make', 'make test', 'make lint']),
        stage: 'build',
        variables: { REGION: 'eu-west-1' },
      },
      {
        ...bare('deploy', ['./deploy.sh']),
        stage: 'deploy',
        variables: { REGION: 'us-east-1', RETRIES: '3', DOCS: 'https://docs.example.com' },
        environment: { name: 'production', deploymentTier: 'production', action: 'start' },
        timeoutSeconds: 5400,
        idTokens: {
          VAULT_ID_TOKEN: { aud: 'https://vault.example.com' },
          AWS_TOKEN: { aud: ['sts.amazonaws.com', '$EXTRA_AUD'] },
        },
        secrets: {
          DB_PASSWORD: {
            vault: { engine: { name: 'kv-v2', path: 'ops' }, path: 'production/db', field: 'password' },
            token: 'VAULT_ID_TOKEN',
            file: true,
          },
          API_KEY: {
            vault: { engine: { name: 'kv-v1', path: 'secret' }, path: 'ci/api', field: 'key' },
            token: 'VAULT_ID_TOKEN',
            file: false,
          },
        },
        jwtClaims: { team: 'platform', 'https://aws.amazon.com/tags': ['a', 'b'] },
      },
    ]);
  });

  it('keeps the order in which ID tokens are written (the first is Vault’s default)', () => {
    const [, deploy] = lint(deployPipeline).jobs;
    expect(Object.keys(deploy.idTokens)).toEqual(['VAULT_ID_TOKEN', 'AWS_TOKEN']);
  });

  it('writes the merged YAML: extends and default applied, hidden jobs, default and inherit removed', () => {
    expect(lint(deployPipeline).mergedYaml).toBe(`stages:
  - build
  - deploy
variables:
  REGION: eu-west-1
  RETRIES: 3
  DOCS:
    value: https://docs.example.com
    description: Where the docs live
build:
  stage: build
  script:
    - make
    - - make test
      - make lint
deploy:
  stage: deploy
  environment:
    name: production
    deployment_tier: production
  jwt_claims:
    - team: platform
    - https://aws.amazon.com/tags:
        - a
        - b
  script: ./deploy.sh
  variables:
    REGION: us-east-1
  secrets:
    DB_PASSWORD:
      vault: production/db/password@ops
      token: $VAULT_ID_TOKEN
    API_KEY:
      vault:
        engine:
          name: kv-v1
          path: secret
        path: ci/api
        field: key
      file: false
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.example.com
    AWS_TOKEN:
      aud:
        - sts.amazonaws.com
        - $EXTRA_AUD
  timeout: 1h 30m
`);
  });

  it('quotes strings in the merged YAML that a YAML 1.1 reader would take for another type', () => {
    expect(lint('job: {script: x, variables: {A: "yes", B: "012", C: "on"}}').mergedYaml).toBe(
      'job:\n  script: x\n  variables:\n    A: "yes"\n    B: "012"\n    C: "on"\n',
    );
  });

  it('uses the default stages, .pre and .post included, when stages is not set', () => {
    const result = lint('job: {script: x}');
    expect(result.stages).toEqual(['.pre', 'build', 'test', 'deploy', '.post']);
    expect(result.jobs).toEqual([bare('job')]);
  });

  it.each([
    ['a list', 'stages: [lint, ship]', ['.pre', 'lint', 'ship', '.post']],
    ['nested lists, flattened', 'stages: [lint, [ship, [verify]]]', ['.pre', 'lint', 'ship', 'verify', '.post']],
    ['.pre and .post moved to the edges', 'stages: [.post, lint, .pre]', ['.pre', 'lint', '.post']],
    ['duplicates once', 'stages: [lint, lint]', ['.pre', 'lint', '.post']],
    ['an empty list', 'stages: []', ['.pre', '.post']],
    ['no value (the default)', 'stages:', ['.pre', 'build', 'test', 'deploy', '.post']],
  ])('reads stages from %s', (_case, stages, expected) => {
    expect(lint(`${stages}\njob: {script: x, stage: .pre}`).stages).toEqual(expected);
  });

  it.each([
    ['a string', 'stages: build'],
    ['a hash', 'stages: {build: 1}'],
    ['a number in the list', 'stages: [build, 1]'],
    ['11 levels of nesting', `stages: ${'['.repeat(11)}build${']'.repeat(11)}`],
  ])('rejects stages given as %s', (_case, stages) => {
    expect(lint(`${stages}\njob: {script: x, stage: .pre}`).errors).toEqual([
      'stages config should be an array of strings or a nested array of strings up to 10 levels deep',
    ]);
  });

  it('accepts stage names of 255 characters and rejects longer ones', () => {
    const named = (length: number) => lint(`stages: [${'s'.repeat(length)}]\njob: {script: x, stage: ${'s'.repeat(length)}}`);
    expect(named(255).errors).toEqual([]);
    expect(named(256).errors).toEqual(['stages config contains a stage name that is too long (maximum is 255 characters)']);
  });

  it('treats hidden keys as templates, not jobs', () => {
    const result = lint('.template: {script: x}\njob: {script: y}');
    expect(result.jobs.map((job) => job.name)).toEqual(['job']);
  });

  it('requires at least one visible job', () => {
    expect(lint('.template: {script: x}').errors).toEqual(['jobs config should contain at least one visible job']);
    expect(lint('stages: [build]').errors).toEqual(['jobs config should contain at least one visible job']);
  });

  it('treats a top-level key named like a job keyword as a job', () => {
    const result = lint('script: {script: x}\nid_tokens: {script: y}\nsecrets: {script: z}');
    expect(result.errors).toEqual([]);
    expect(result.jobs).toEqual([bare('script'), bare('id_tokens', ['y']), bare('secrets', ['z'])]);
  });

  it('rejects the GitLab top-level keywords Lanyard does not implement, instead of ignoring them', () => {
    expect(
      lint('include: other.yml\nimage: ruby:3\nworkflow: {rules: []}\ntypes: [a]\nbefore_script: [x]\njob: {script: x}').errors,
    ).toEqual(['root config contains unsupported keys: include, workflow, types']);
  });

  it('returns no stages, jobs or warnings-only success when invalid, but still the merged YAML', () => {
    const result = lint('job: {script: x, stage: nope}');
    expect(result).toEqual({
      valid: false,
      errors: ['job job: chosen stage nope does not exist; available stages are .pre, build, test, deploy, .post'],
      warnings: [],
      stages: [],
      jobs: [],
      mergedYaml: 'job:\n  script: x\n  stage: nope\n',
    });
  });

  it('lists every problem once, in the order found', () => {
    expect(
      lint(`
default: {hooks: {}, id_tokens: {A: {}}}
one: {script: x, foo: 1, id_tokens: {B: {aud: ""}}}
two: {script: [], stage: 5}
`).errors,
    ).toEqual([
      'default config contains unknown keys: hooks',
      'default:id_tokens:A id token config missing required keys: aud',
      'default:id_tokens:A id token aud should be an array of strings or a string',
      'jobs:one config contains unknown keys: foo',
      'jobs:one:id_tokens:B id token aud must not be empty',
      "jobs:two script can't be blank",
      'jobs:two:stage config should be a string',
    ]);
  });

  it('never throws, whatever it is given', () => {
    for (const input of [undefined, null, 42, {}, [], '\u0000', '\uFEFF', ': :', '[', '{a', '*x', '&a', '!!', '%']) {
      const result = parseCiConfig(input as unknown as string, { optInJwt: true });
      expect(result.valid).toBe(false);
      expect(result.errors.length).toBeGreaterThan(0);
    }
  });
});

describe('variables', () => {
  it.each([
    ['a string', 'A: text', 'text'],
    ['an integer (coerced)', 'A: 42', '42'],
    ['an octal integer as YAML 1.1 reads it', 'A: 010', '8'],
    ['an empty string', 'A: ""', ''],
    ['the hash form', 'A: {value: text, description: shown in the UI}', 'text'],
    ['the hash form with an integer', 'A: {value: 7}', '7'],
    ['the hash form without value', 'A: {description: d}', ''],
  ])('accepts a global variable given as %s', (_case, variable, expected) => {
    expect(lint(`variables: {${variable}}\njob: {script: x}`).jobs[0].variables).toEqual({ A: expected });
  });

  it.each([
    ['a boolean', 'A: true', ['variables:A variable definition must be either a string or a hash']],
    ['YAML 1.1 yes', 'A: yes', ['variables:A variable definition must be either a string or a hash']],
    ['a float', 'A: 1.5', ['variables:A variable definition must be either a string or a hash']],
    ['null', 'A: null', ['variables:A variable definition must be either a string or a hash']],
    ['a list', 'A: [a]', ['variables:A variable definition must be either a string or a hash']],
    ['unknown data keys', 'A: {value: a, expand: false, x: 1}', ['variables:A config uses invalid data keys: expand, x']],
    ['a list as value', 'A: {value: [a]}', ['variables:A config value must be an alphanumeric string']],
    ['a hash as description', 'A: {value: a, description: {x: 1}}', ['variables:A config description must be an alphanumeric string']],
  ])('rejects a global variable given as %s', (_case, variable, errors) => {
    expect(lint(`variables: {${variable}}\njob: {script: x}`).errors).toEqual(errors);
  });

  it('rejects variables that are not a hash', () => {
    expect(lint('variables: [A]\njob: {script: x}').errors).toEqual(['variables config should be a hash']);
    expect(lint('job: {script: x, variables: A}').errors).toEqual(['jobs:job:variables config should be a hash']);
  });

  it('lets a job variable override a global one and rejects data keys GitLab does not allow in jobs', () => {
    expect(lint('variables: {A: g, B: g}\njob: {script: x, variables: {B: {value: j}, C: 1}}').jobs[0].variables).toEqual({
      A: 'g',
      B: 'j',
      C: '1',
    });
    expect(lint('job: {script: x, variables: {B: {value: j, description: d}}}').errors).toEqual([
      'jobs:job:variables:B config uses invalid data keys: description',
    ]);
  });

  it.each([
    ['true', 'inherit: {variables: true}', { A: 'a', B: 'b' }],
    ['false', 'inherit: {variables: false}', {}],
    ['a list', 'inherit: {variables: [B]}', { B: 'b' }],
    ['not set', '', { A: 'a', B: 'b' }],
  ])('inherits global variables per inherit:variables %s', (_case, inherit, expected) => {
    expect(lint(`variables: {A: a, B: b}\njob: {script: x, ${inherit}}`).jobs[0].variables).toEqual(expected);
  });

  it('keeps a variable named __proto__ as a plain entry', () => {
    const [job] = lint('variables: {__proto__: a, constructor: b}\njob: {script: x}').jobs;
    expect(Object.getPrototypeOf(job.variables)).toBe(Object.prototype);
    expect(Object.entries(job.variables)).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
    ]);
  });
});
