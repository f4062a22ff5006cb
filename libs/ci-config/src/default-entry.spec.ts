import { parseDefault, parseInherit } from './default-entry';
import { parseCiConfig } from './index';
import type { CiConfigResult } from './index';

const lint = (yaml: string): CiConfigResult => parseCiConfig(yaml, { optInJwt: true });
const DEFAULTS = 'default: {id_tokens: {VAULT: {aud: v}}, timeout: 1h, jwt_claims: {team: platform}}';

describe(parseDefault.name, () => {
  it('gives every job the default id_tokens, timeout and jwt_claims', () => {
    const [job] = lint(`${DEFAULTS}\njob: {script: x}`).jobs;
    expect([job.idTokens, job.timeoutSeconds, job.jwtClaims]).toEqual([{ VAULT: { aud: 'v' } }, 3600, { team: 'platform' }]);
  });

  it('accepts an empty default', () => {
    expect(lint('default:\njob: {script: x}').errors).toEqual([]);
  });

  it('rejects a default that is not a hash', () => {
    expect(lint('default: [timeout]\njob: {script: x}').errors).toEqual(['default config should be a hash']);
  });

  it('rejects the GitLab default keys Lanyard does not implement, and keys GitLab refuses there', () => {
    expect(lint('default: {hooks: {}, image: ruby, identity: google_cloud, when: manual, timeout: 1h}\njob: {script: x}').errors).toEqual([
      'default config contains unknown keys: hooks, identity, when',
    ]);
  });

  it('writes inherited defaults into each job of the merged YAML, and drops default:', () => {
    expect(lint(`${DEFAULTS}\none: {script: x}\ntwo: {script: y, timeout: 5m, inherit: {default: [timeout]}}`).mergedYaml).toBe(`one:
  script: x
  id_tokens:
    VAULT:
      aud: v
  timeout: 1h
  jwt_claims:
    team: platform
two:
  script: y
  timeout: 5m
`);
  });
});

describe(parseInherit.name, () => {
  it.each([
    ['true', 'true', ['id_tokens', 'timeout', 'jwt_claims']],
    ['false', 'false', []],
    ['an empty list', '[]', []],
    ['[id_tokens]', '[id_tokens]', ['id_tokens']],
    ['[timeout, jwt_claims]', '[timeout, jwt_claims]', ['timeout', 'jwt_claims']],
    ['empty (as true)', '', ['id_tokens', 'timeout', 'jwt_claims']],
  ])('inherits per inherit:default %s', (_case, rule, expected) => {
    const [job] = lint(`${DEFAULTS}\njob: {script: x, inherit: {default: ${rule}}}`).jobs;
    const inherited = [
      Object.keys(job.idTokens).length > 0 ? 'id_tokens' : null,
      job.timeoutSeconds !== null ? 'timeout' : null,
      job.jwtClaims !== null ? 'jwt_claims' : null,
    ].filter((key) => key !== null);
    expect(inherited).toEqual(expected);
  });

  it('takes inherit: from a template through extends', () => {
    const [job] = lint(`${DEFAULTS}\n.t: {inherit: {default: false}}\njob: {extends: .t, script: x}`).jobs;
    expect([job.idTokens, job.timeoutSeconds, job.jwtClaims]).toEqual([{}, null, null]);
  });

  it.each([
    ['not a hash', 'true', ['jobs:job:inherit config should be a hash']],
    ['unknown keys', '{defaults: false, image: true}', ['jobs:job:inherit config contains unknown keys: defaults, image']],
    ['default as a string', '{default: id_tokens}', ['jobs:job:inherit:default should be a bool or array of strings']],
    ['default as a hash', '{default: {id_tokens: true}}', ['jobs:job:inherit:default should be a bool or array of strings']],
    ['default with a number', '{default: [id_tokens, 1]}', ['jobs:job:inherit:default config should be an array of strings']],
    [
      'default with unknown keys',
      '{default: [hooks, id_tokens, pages]}',
      ['jobs:job:inherit:default config contains unknown values: hooks, pages'],
    ],
    ['variables as a number', '{variables: 5}', ['jobs:job:inherit:variables should be a bool or array of strings']],
    ['variables with a hash', '{variables: [{A: b}]}', ['jobs:job:inherit:variables config should be an array of strings']],
  ])('rejects inherit with %s', (_case, inherit, errors) => {
    expect(lint(`job: {script: x, inherit: ${inherit}}`).errors).toEqual(errors);
  });
});
