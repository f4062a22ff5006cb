import { parseCaches } from './cache-entry';
import { parseCiConfig } from './index';
import type { CacheDefinition } from './index';

const errorsOf = (yaml: string): string[] => parseCiConfig(yaml, { optInJwt: true }).errors;
const cachesOf = (cache: string): readonly CacheDefinition[] => {
  const result = parseCiConfig(`job: {script: x, cache: ${cache}}`, { optInJwt: true });
  expect(result.errors).toEqual([]);
  return result.jobs[0].cache;
};
const DEFAULTS: CacheDefinition = {
  key: 'default',
  paths: null,
  untracked: null,
  policy: 'pull-push',
  when: 'on_success',
  unprotect: false,
  fallbackKeys: [],
};

describe(parseCaches.name, () => {
  it.each<[string, string, CacheDefinition[]]>([
    ['an empty hash (GitLab’s defaults)', '{}', [DEFAULTS]],
    ['GitLab’s example (§9.9)', '{key: gems, paths: [vendor/ruby]}', [{ ...DEFAULTS, key: 'gems', paths: ['vendor/ruby'] }]],
    [
      'every key',
      '{key: k, paths: [a], untracked: true, when: always, policy: pull, unprotect: true, fallback_keys: [main, default]}',
      [{ key: 'k', paths: ['a'], untracked: true, when: 'always', policy: 'pull', unprotect: true, fallbackKeys: ['main', 'default'] }],
    ],
    ['a variable as policy', '{policy: $CACHE_POLICY}', [{ ...DEFAULTS, policy: '$CACHE_POLICY' }]],
    [
      'a key from files, leading slashes stripped',
      '{key: {files: [/Gemfile.lock, yarn.lock]}}',
      [{ ...DEFAULTS, key: { files: ['Gemfile.lock', 'yarn.lock'], prefix: null } }],
    ],
    [
      'a key from files with a prefix',
      '{key: {files: [a], prefix: $CI_JOB_NAME}}',
      [{ ...DEFAULTS, key: { files: ['a'], prefix: '$CI_JOB_NAME' } }],
    ],
    ['four caches', '[{key: a}, {key: b}, {key: c}, {key: d}]', ['a', 'b', 'c', 'd'].map((key) => ({ ...DEFAULTS, key }))],
  ])('accepts %s', (_case, cache, expected) => {
    expect(cachesOf(cache)).toEqual(expected);
  });

  it.each([
    ['a string', 'gems', ['jobs:job:caches config can only be a hash or an array']],
    ['five caches', '[{}, {}, {}, {}, {}]', ['jobs:job:caches config no more than 4 caches can be created']],
    ['a list item that is a string', '[gems]', ['jobs:job:cache config should be a hash']],
    ['unknown keys', '{key: k, foo: 1}', ['jobs:job:cache config contains unknown keys: foo']],
    ['an unknown policy', '{policy: fetch}', ['jobs:job:cache policy should be a variable or one of: pull-push, push, pull']],
    ['an unknown when', '{when: never}', ['jobs:job:cache when should be one of: on_success, on_failure, always']],
    ['six fallback keys', '{fallback_keys: [a, b, c, d, e, f]}', ['jobs:job:cache fallback keys has to many entries (maximum 5)']],
    ['fallback keys that are a string', '{fallback_keys: a}', ['jobs:job:cache:fallback_keys config should be an array of strings']],
    ['untracked as a string', '{untracked: "true"}', ['jobs:job:cache:untracked config should be a boolean value']],
    ['unprotect as a number', '{unprotect: 1}', ['jobs:job:cache:unprotect config should be a boolean value']],
    ['paths as a string', '{paths: a}', ['jobs:job:cache:paths config should be an array of strings']],
    ['a key with a slash', '{key: a/b}', ['jobs:job:cache:key config cannot contain the "/" character']],
    ['a key with an encoded slash', '{key: a%2Fb}', ['jobs:job:cache:key config cannot contain the "/" character']],
    ['a key that is ..', '{key: ..}', ['jobs:job:cache:key config cannot be "." or ".."']],
    ['a key that is a number', '{key: 1}', ['jobs:job:cache:key should be a hash, a string or a symbol']],
    ['a key hash without files', '{key: {prefix: p}}', ['jobs:job:cache:key config missing required keys: files']],
    ['a key hash with unknown keys', '{key: {files: [a], foo: 1}}', ['jobs:job:cache:key config contains unknown keys: foo']],
    ['no key files', '{key: {files: []}}', ['jobs:job:cache:key:files config requires at least 1 item']],
    ['three key files', '{key: {files: [a, b, c]}}', ['jobs:job:cache:key:files config has too many items (maximum is 2)']],
    [
      'a key prefix with a slash',
      '{key: {files: [a], prefix: a/b}}',
      ['jobs:job:cache:key:prefix config cannot contain the "/" character'],
    ],
  ])('rejects %s', (_case, cache, errors) => {
    expect(errorsOf(`job: {script: x, cache: ${cache}}`)).toEqual(errors);
  });

  it('reports the legacy top-level and default: caches at their own locations', () => {
    expect(errorsOf('cache: gems\njob: {script: x}')).toEqual(['caches config can only be a hash or an array']);
    expect(errorsOf('default: {cache: [{key: a/b}]}\njob: {script: x}')).toEqual([
      'default:cache:key config cannot contain the "/" character',
    ]);
  });
});
