import { parseImage, parseServices } from './image-entry';
import { parseCiConfig } from './index';
import type { JobDefinition } from './index';

const errorsOf = (yaml: string): string[] => parseCiConfig(yaml, { optInJwt: true }).errors;
const jobOf = (yaml: string): JobDefinition => {
  const result = parseCiConfig(yaml, { optInJwt: true });
  expect(result.errors).toEqual([]);
  return result.jobs[0];
};

describe(parseImage.name, () => {
  it.each([
    ['a name', 'ruby:3.3', { name: 'ruby:3.3', entrypoint: null, pullPolicy: null, executorOptions: null }],
    ['a hash with a name', '{name: ruby:3.3}', { name: 'ruby:3.3', entrypoint: null, pullPolicy: null, executorOptions: null }],
    [
      'an entrypoint and one pull policy (kept as a list)',
      '{name: ruby, entrypoint: [""], pull_policy: if-not-present}',
      { name: 'ruby', entrypoint: [''], pullPolicy: ['if-not-present'], executorOptions: null },
    ],
    [
      'several pull policies',
      '{name: ruby, pull_policy: [always, never]}',
      { name: 'ruby', entrypoint: null, pullPolicy: ['always', 'never'], executorOptions: null },
    ],
    [
      'docker and kubernetes options',
      '{name: ruby, docker: {platform: linux/arm64, user: dave}, kubernetes: {user: 1000}}',
      {
        name: 'ruby',
        entrypoint: null,
        pullPolicy: null,
        executorOptions: { docker: { platform: 'linux/arm64', user: 'dave' }, kubernetes: { user: 1000 } },
      },
    ],
  ])('accepts %s', (_case, image, expected) => {
    expect(jobOf(`job: {script: x, image: ${image}}`).image).toEqual(expected);
  });

  it.each([
    ['a number', '5', ['config should be a hash or a string']],
    ['a list', '[ruby]', ['config should be a hash or a string']],
    ['an empty name', '""', ["name can't be blank"]],
    ['no name', '{entrypoint: [sh]}', ['name should be a string', "name can't be blank"]],
    ['a name that is a number', '{name: 5}', ['name should be a string']],
    ['unknown keys', '{name: ruby, foo: 1, alias: a}', ['config contains unknown keys: foo, alias']],
    ['ports', '{name: ruby, ports: [80]}', ['config contains disallowed keys: ports']],
    ['an entrypoint that is a string', '{name: ruby, entrypoint: sh}', ['entrypoint should be an array of strings']],
    ['an unknown pull policy', '{name: ruby, pull_policy: sometimes}', [':pull_policy config is not included in the list']],
    [
      'unknown pull policies in a list',
      '{name: ruby, pull_policy: [always, sometimes]}',
      [':pull_policy config contains unknown values: sometimes'],
    ],
    ['an empty pull policy list', '{name: ruby, pull_policy: []}', [":pull_policy config can't be blank"]],
    ['a pull policy that is a number', '{name: ruby, pull_policy: 1}', [':pull_policy config should be an array of strings or a string']],
    ['an unknown docker option', '{name: ruby, docker: {foo: 1}}', [" executor opts property '/docker/foo' is invalid: error_type=schema"]],
    [
      'a docker platform that is a number',
      '{name: ruby, docker: {platform: 1}}',
      [" executor opts property '/docker/platform' is not of type: string"],
    ],
    [
      'a docker platform over 64 characters',
      `{name: ruby, docker: {platform: ${'p'.repeat(65)}}}`,
      [" executor opts property '/docker/platform' is invalid: error_type=maxLength"],
    ],
    ['docker options that are not a hash', '{name: ruby, docker: amd64}', [" executor opts property '/docker' is not of type: object"]],
  ])('rejects %s', (_case, image, errors) => {
    expect(errorsOf(`job: {script: x, image: ${image}}`)).toEqual(
      errors.map((error) => (error.startsWith(':') || error.startsWith(' ') ? `jobs:job:image${error}` : `jobs:job:image ${error}`)),
    );
  });

  it('takes the image from default:, or from the legacy top level, unless the job sets its own', () => {
    expect(jobOf('default: {image: ruby}\njob: {script: x}').image?.name).toBe('ruby');
    expect(jobOf('image: node\njob: {script: x}').image?.name).toBe('node');
    expect(jobOf('image: node\njob: {script: x, image: go}').image?.name).toBe('go');
    expect(jobOf('image: node\njob: {script: x, inherit: {default: false}}').image).toBeNull();
  });

  it('refuses an image set both at the top level and in default:', () => {
    expect(errorsOf('image: node\ndefault: {image: ruby}\njob: {script: x}')).toEqual([
      'image is defined in top-level and `default:` entry',
    ]);
  });

  it('reports an invalid top-level or default image at its own location', () => {
    expect(errorsOf('image: 5\njob: {script: x}')).toEqual(['image config should be a hash or a string']);
    expect(errorsOf('default: {image: 5}\njob: {script: x}')).toEqual(['default:image config should be a hash or a string']);
  });
});

describe(parseServices.name, () => {
  it('accepts names and hashes with alias, command and variables', () => {
    expect(
      jobOf(
        'job: {script: x, services: [redis, {name: postgres:16, alias: db, command: [postgres, -c, fsync=off], variables: {POSTGRES_PASSWORD: x, PORT: 5432}}]}',
      ).services,
    ).toEqual([
      { name: 'redis', entrypoint: null, pullPolicy: null, executorOptions: null, alias: null, command: null, variables: {} },
      {
        name: 'postgres:16',
        entrypoint: null,
        pullPolicy: null,
        executorOptions: null,
        alias: 'db',
        command: ['postgres', '-c', 'fsync=off'],
        variables: { POSTGRES_PASSWORD: 'x', PORT: '5432' },
      },
    ]);
  });

  it.each([
    ['a string', 'redis', ['jobs:job:services config should be a array']],
    ['a hash', '{name: redis}', ['jobs:job:services config should be a array']],
    ['a number in the list', '[5]', ['jobs:job:services:service config should be a hash or a string']],
    ['an alias that is a list', '[{name: redis, alias: [a]}]', ['jobs:job:services:service alias should be a string']],
    [
      'a command that is a string',
      '[{name: redis, command: redis-server}]',
      ['jobs:job:services:service command should be an array of strings'],
    ],
    ['variables that are a list', '[{name: redis, variables: [A]}]', ['jobs:job:services:service:variables config should be a hash']],
    ['unknown keys', '[{name: redis, foo: 1}]', ['jobs:job:services:service config contains unknown keys: foo']],
  ])('rejects services given as %s', (_case, services, errors) => {
    expect(errorsOf(`job: {script: x, services: ${services}}`)).toEqual(errors);
  });
});
