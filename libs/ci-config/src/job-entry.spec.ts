import { parseJob } from './job-entry';
import { parseCiConfig } from './index';
import type { CiConfigResult, EnvironmentDefinition, JobDefinition } from './index';

const lint = (yaml: string): CiConfigResult => parseCiConfig(yaml, { optInJwt: true });
const errorsOf = (yaml: string): string[] => lint(yaml).errors;
/** The only job of a valid config. */
const jobOf = (yaml: string): JobDefinition => {
  const result = lint(yaml);
  expect(result.errors).toEqual([]);
  return result.jobs[0];
};
const NO_SCRIPT = 'jobs job config should implement the script:, run:, or trigger: keyword';

describe(parseJob.name, () => {
  describe('what is a job', () => {
    it.each([
      ['a hash without script', 'job: {stage: build}'],
      ['a string', 'job: echo hi'],
      ['a list', 'job: [echo hi]'],
      ['nothing', 'job:'],
    ])('asks for a script when the job is %s', (_case, yaml) => {
      expect(errorsOf(yaml)).toEqual([NO_SCRIPT]);
    });

    it('rejects every keyword it does not implement, and those being built elsewhere, listing them in order', () => {
      expect(
        errorsOf('job: {script: x, image: ruby, rules: [], trigger: x, only: [main], hooks: {}, except: [a], release: {}, foo: 1}'),
      ).toEqual(['jobs:job config contains unknown keys: rules, trigger, only, hooks, except, release, foo']);
    });

    it('limits job names to 255 characters', () => {
      expect(errorsOf(`${'j'.repeat(255)}: {script: x}`)).toEqual([]);
      expect(errorsOf(`${'j'.repeat(256)}: {script: x}`)).toEqual([`jobs:${'j'.repeat(256)} name is too long (maximum is 255 characters)`]);
    });
  });

  describe('script', () => {
    it.each([
      ['a string', 'x', ['x']],
      ['a list', '[a, b]', ['a', 'b']],
      ['nested lists, flattened', '[a, [b, [c]], d]', ['a', 'b', 'c', 'd']],
      ['10 levels of lists', `${'['.repeat(10)}a${']'.repeat(10)}`, ['a']],
      ['a list with an empty line', '[""]', ['']],
      ['a block scalar', '|\n    echo one\n    echo two', ['echo one\necho two\n']],
    ])('accepts %s', (_case, script, expected) => {
      expect(jobOf(`job:\n  script: ${script}`).script).toEqual(expected);
    });

    it.each([
      ['empty', 'script:'],
      ['an empty string', 'script: ""'],
      ['only spaces', 'script: "  "'],
      ['an empty list', 'script: []'],
    ])('rejects a script that is %s', (_case, script) => {
      expect(errorsOf(`job: {${script}}`)).toEqual(["jobs:job script can't be blank"]);
    });

    it.each([
      ['a number', '123'],
      ['a boolean', 'true'],
      ['a hash', '{a: b}'],
      ['a list with a number', '[a, 1]'],
      ['a list with a hash', '[a, {b: c}]'],
      ['11 levels of lists', `${'['.repeat(11)}a${']'.repeat(11)}`],
    ])('rejects a script that is %s', (_case, script) => {
      expect(errorsOf(`job: {script: ${script}}`)).toEqual([
        'jobs:job:script config should be a string or a nested array of strings up to 10 levels deep',
      ]);
    });
  });

  describe('stage', () => {
    it.each([
      ['not set', 'job: {script: x}', 'test'],
      ['empty', 'job: {script: x, stage: }', 'test'],
      ['.pre', 'job: {script: x, stage: .pre}', '.pre'],
      ['.post', 'job: {script: x, stage: .post}', '.post'],
      ['a declared stage', 'stages: [lint]\njob: {script: x, stage: lint}', 'lint'],
    ])('uses the stage when %s', (_case, yaml, stage) => {
      expect(jobOf(yaml).stage).toBe(stage);
    });

    it('names the available stages when the stage does not exist (GitLab)', () => {
      expect(errorsOf('job: {script: x, stage: release}')).toEqual([
        'job job: chosen stage release does not exist; available stages are .pre, build, test, deploy, .post',
      ]);
    });

    it('rejects the implicit test stage when stages leave it out', () => {
      expect(errorsOf('stages: [build]\njob: {script: x}')).toEqual([
        'job job: chosen stage test does not exist; available stages are .pre, build, .post',
      ]);
    });

    it('rejects a stage that is not a string', () => {
      expect(errorsOf('job: {script: x, stage: [build]}')).toEqual(['jobs:job:stage config should be a string']);
    });
  });

  describe('environment', () => {
    it.each<[string, string, EnvironmentDefinition]>([
      ['a name', 'production', { name: 'production', action: 'start' }],
      ['a hash with a name', '{name: review/$CI_COMMIT_REF_SLUG}', { name: 'review/$CI_COMMIT_REF_SLUG', action: 'start' }],
      ['a name with spaces and dots', '{name: my env 1.2}', { name: 'my env 1.2', action: 'start' }],
      ...(['production', 'staging', 'testing', 'development', 'other'] as const).map((tier): [string, string, EnvironmentDefinition] => [
        `tier ${tier}`,
        `{name: e, deployment_tier: ${tier}}`,
        { name: 'e', deploymentTier: tier, action: 'start' },
      ]),
      ...(['start', 'stop', 'prepare', 'verify', 'access'] as const).map((action): [string, string, EnvironmentDefinition] => [
        `action ${action}`,
        `{name: e, action: ${action}}`,
        { name: 'e', action },
      ]),
      ['null action and tier', '{name: e, action: , deployment_tier: }', { name: 'e', action: 'start' }],
      [
        'a url',
        '{name: e, url: "https://$CI_ENVIRONMENT_SLUG.example.com"}',
        { name: 'e', url: 'https://$CI_ENVIRONMENT_SLUG.example.com', action: 'start' },
      ],
      ['a null url', '{name: e, url: }', { name: 'e', action: 'start' }],
      ['a 255-character url', `{name: e, url: ${'u'.repeat(255)}}`, { name: 'e', url: 'u'.repeat(255), action: 'start' }],
    ])('accepts %s', (_case, environment, expected) => {
      expect(jobOf(`job: {script: x, environment: ${environment}}`).environment).toEqual(expected);
    });

    it('has no environment when none is set or it is empty', () => {
      expect(jobOf('job: {script: x}').environment).toBeNull();
      expect(jobOf('job: {script: x, environment: }').environment).toBeNull();
    });

    const FORMAT =
      "name can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'";
    it.each([
      ['a number', '5', ['config should be a hash or a string']],
      ['a list', '[production]', ['config should be a hash or a string']],
      ['an empty name', '""', ["name can't be blank"]],
      ['a hash without name', '{action: stop}', ["name can't be blank"]],
      ['a blank name', '{name: "  "}', ["name can't be blank"]],
      ['a name with a colon', '"prod:eu"', [FORMAT]],
      ['a name starting with /', '/prod', [FORMAT]],
      ['a name ending with /', '{name: prod/}', [FORMAT]],
      ['a name with a percent sign', '{name: "prod%3A"}', [FORMAT]],
      ['a name that is a number', '{name: 5}', [FORMAT]],
      ['a 256-character name', 'e'.repeat(256), ['name is too long (maximum is 255 characters)']],
      ['an unknown action', '{name: e, action: rollback}', ['action should be start, stop, prepare, verify, or access']],
      ['an action that is a list', '{name: e, action: [stop]}', ['action should be start, stop, prepare, verify, or access']],
      [
        'an unknown tier',
        '{name: e, deployment_tier: prod}',
        ['deployment tier must be one of production, staging, testing, development, other'],
      ],
      ['a url that is a list', '{name: e, url: [https://x]}', ['url should be a string']],
      ['a 256-character url', `{name: e, url: ${'u'.repeat(256)}}`, ['url is too long (maximum is 255 characters)']],
      ['keys Lanyard does not implement', '{name: e, url: "https://x", on_stop: stop}', ['config contains unknown keys: on_stop']],
    ])('rejects %s', (_case, environment, errors) => {
      expect(errorsOf(`job: {script: x, environment: ${environment}}`)).toEqual(errors.map((error) => `jobs:job:environment ${error}`));
    });
  });

  describe('timeout', () => {
    it.each([
      ['1h 30m', 5400],
      ['90 minutes', 5400],
      ['"3600"', 3600],
      ['3600', 3600],
      ['1 hour and 30 minutes', 5400],
      ['"1:30:00"', 5400],
      ['1 month', 2_592_000],
      ['30d 10h 29m 5s', 2_629_745],
    ])('accepts %s', (timeout, seconds) => {
      expect(jobOf(`job: {script: x, timeout: ${timeout}}`).timeoutSeconds).toBe(seconds);
    });

    it.each(['soon', '""', '"0"', '0', '-5', 'true', '[1h]', '1 fortnight', '1h then some'])('rejects %s', (timeout) => {
      expect(errorsOf(`job: {script: x, timeout: ${timeout}}`)).toEqual(['jobs:job:timeout config should be a duration']);
    });

    it.each(['30d 10h 29m 6s', '31 days', '1 year'])('rejects %s as over the one-month limit', (timeout) => {
      expect(errorsOf(`job: {script: x, timeout: ${timeout}}`)).toEqual(['jobs:job:timeout config should not exceed the limit']);
    });

    it('takes the default timeout unless the job sets one or does not inherit it', () => {
      const result = lint(`
default: {timeout: 2h}
inherits: {script: x}
own: {script: x, timeout: 10m}
empty: {script: x, timeout: }
opted_out: {script: x, inherit: {default: [id_tokens]}}
`);
      expect(result.jobs.map((job) => [job.name, job.timeoutSeconds])).toEqual([
        ['inherits', 7200],
        ['own', 600],
        ['empty', 7200],
        ['opted_out', null],
      ]);
    });

    it('reports an invalid default timeout once, at default', () => {
      expect(errorsOf('default: {timeout: later}\none: {script: x}\ntwo: {script: x}')).toEqual([
        'default:timeout config should be a duration',
      ]);
    });
  });
});
