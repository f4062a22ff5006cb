import { parseIdTokens } from './id-tokens-entry';
import { parseCiConfig } from './index';
import type { CiConfigResult } from './index';

const lint = (yaml: string): CiConfigResult => parseCiConfig(yaml, { optInJwt: true });
const tokensOf = (idTokens: string): CiConfigResult['jobs'][number]['idTokens'] => {
  const result = lint(`deploy: {script: x, id_tokens: ${idTokens}}`);
  expect(result.errors).toEqual([]);
  return result.jobs[0].idTokens;
};
const errorsOf = (idTokens: string): string[] => lint(`deploy: {script: x, id_tokens: ${idTokens}}`).errors;
const AT = 'jobs:deploy:id_tokens:AWS_TOKEN';

describe(parseIdTokens.name, () => {
  describe('GitLab’s own cases (spec/lib/gitlab/ci/config/entry/id_token_spec.rb)', () => {
    it.each([
      ['a string', "'https://gitlab.com'", 'https://gitlab.com'],
      ['an array, kept an array', "['https://gitlab.com', 'https://aws.com']", ['https://gitlab.com', 'https://aws.com']],
      ['a variable', "'$WATHEVER'", '$WATHEVER'],
      ['text around a variable', "'blah-$WATHEVER'", 'blah-$WATHEVER'],
      ['an array of variables', "['$WATHEVER', 'blah-$WATHEVER', '${BRACED}']", ['$WATHEVER', 'blah-$WATHEVER', '${BRACED}']],
    ])('accepts aud as %s', (_case, aud, expected) => {
      expect(tokensOf(`{AWS_TOKEN: {aud: ${aud}}}`)).toEqual({ AWS_TOKEN: { aud: expected } });
    });

    it('reports both errors for an empty entry', () => {
      expect(errorsOf('{AWS_TOKEN: {}}')).toEqual([
        `${AT} id token config missing required keys: aud`,
        `${AT} id token aud should be an array of strings or a string`,
      ]);
    });

    it('reports unknown keys', () => {
      expect(errorsOf("{AWS_TOKEN: {aud: 'x', unknown: 'test'}}")).toEqual([`${AT} id token config contains unknown keys: unknown`]);
    });
  });

  it.each([
    ['a number', '123'],
    ['an array with a number', '[a, 5]'],
    ['a hash', '{a: b}'],
    ['an array with a list', '[a, [b]]'],
    ['a boolean', 'true'],
    ['null', 'null'],
  ])('rejects aud given as %s', (_case, aud) => {
    expect(errorsOf(`{AWS_TOKEN: {aud: ${aud}}}`)).toEqual([`${AT} id token aud should be an array of strings or a string`]);
  });

  it('reads an entry that is not a hash as one without keys, as GitLab does', () => {
    expect(errorsOf('{AWS_TOKEN: "https://sts.amazonaws.com"}')).toEqual([
      `${AT} id token config missing required keys: aud`,
      `${AT} id token aud should be an array of strings or a string`,
    ]);
  });

  it('reports every problem of an entry, in GitLab’s order', () => {
    expect(errorsOf('{AWS_TOKEN: {foo: 1, bar: 2}}')).toEqual([
      `${AT} id token config missing required keys: aud`,
      `${AT} id token config contains unknown keys: foo, bar`,
      `${AT} id token aud should be an array of strings or a string`,
    ]);
  });

  it.each([
    ['an empty string', '""'],
    ['an empty array', '[]'],
    ['an array with an empty string', '[sts, ""]'],
  ])('rejects an empty audience: %s (RFC 8725 §3.9)', (_case, aud) => {
    expect(errorsOf(`{AWS_TOKEN: {aud: ${aud}}}`)).toEqual([`${AT} id token aud must not be empty`]);
  });

  it.each([
    ['starting with a digit', '1TOK'],
    ['with a dash', 'TOK-X'],
    ['empty', '""'],
    ['with a space', '"MY TOKEN"'],
    ['non-ASCII', 'TÖKEN'],
    ['CI_JOB_TOKEN', 'CI_JOB_TOKEN'],
    ['CI_JOB_JWT', 'CI_JOB_JWT'],
    ['CI', 'CI'],
    ['ci_ in lower case', 'ci_token'],
    ['GITLAB_*', 'GITLAB_USER_LOGIN'],
  ])('rejects a token name %s', (_case, name) => {
    const shown = name.startsWith('"') ? name.slice(1, -1) : name;
    expect(errorsOf(`{${name}: {aud: x}}`)).toEqual([`jobs:deploy:id_tokens:${shown} invalid or reserved variable name`]);
  });

  it.each(['VAULT_ID_TOKEN', '_private', 'aws2', 'CIRCLE_TOKEN', 'GITLABISH', 'lower_case'])('accepts the token name %s', (name) => {
    expect(Object.keys(tokensOf(`{${name}: {aud: x}}`))).toEqual([name]);
  });

  describe('limits', () => {
    const tokens = (count: number): string => `{${Array.from({ length: count }, (_, i) => `T${i}: {aud: a}`).join(', ')}}`;

    it('allows 20 ID tokens per job and rejects 21', () => {
      expect(Object.keys(tokensOf(tokens(20)))).toHaveLength(20);
      expect(errorsOf(tokens(21))).toEqual(['jobs:deploy:id_tokens config contains too many id tokens (maximum is 20)']);
    });

    it('allows an audience of 1024 characters and rejects 1025', () => {
      expect(tokensOf(`{AWS_TOKEN: {aud: ${'a'.repeat(1024)}}}`).AWS_TOKEN.aud).toHaveLength(1024);
      expect(errorsOf(`{AWS_TOKEN: {aud: [ok, ${'a'.repeat(1025)}]}}`)).toEqual([
        `${AT} id token aud is too long (maximum is 1024 characters)`,
      ]);
    });

    it('allows 10 audiences and rejects 11', () => {
      const auds = (count: number): string => `[${Array.from({ length: count }, (_, i) => `a${i}`).join(', ')}]`;
      expect(tokensOf(`{AWS_TOKEN: {aud: ${auds(10)}}}`).AWS_TOKEN.aud).toHaveLength(10);
      expect(errorsOf(`{AWS_TOKEN: {aud: ${auds(11)}}}`)).toEqual([`${AT} id token aud has too many entries (maximum is 10)`]);
    });
  });

  it.each([
    ['a newline', '"sts\\namazonaws"'],
    ['a right-to-left override', '"sts\\u202Eamazonaws"'],
    ['a zero-width space', '["ok", "sts\\u200Bamazonaws"]'],
  ])('rejects an audience with %s', (_case, aud) => {
    expect(errorsOf(`{AWS_TOKEN: {aud: ${aud}}}`)).toEqual([`${AT} id token aud contains control or bidi characters`]);
  });

  it.each([
    ['a list', '[AWS_TOKEN]'],
    ['a string', 'AWS_TOKEN'],
  ])('rejects id_tokens given as %s', (_case, idTokens) => {
    expect(errorsOf(idTokens)).toEqual(['jobs:deploy:id_tokens config should be a hash']);
  });

  describe('from default:', () => {
    const pipeline = (job: string): CiConfigResult =>
      lint(`default: {id_tokens: {VAULT: {aud: vault}, AWS: {aud: aws}}}\njob: {script: x${job}}`);

    it.each([
      ['inherits them when the job sets none', '', { VAULT: { aud: 'vault' }, AWS: { aud: 'aws' } }],
      ['inherits them when the job’s id_tokens is empty', ', id_tokens: ', { VAULT: { aud: 'vault' }, AWS: { aud: 'aws' } }],
      ['replaces them, never merges, with the job’s own', ', id_tokens: {GCP: {aud: gcp}}', { GCP: { aud: 'gcp' } }],
      ['replaces them with none for id_tokens: {}', ', id_tokens: {}', {}],
      ['drops them for inherit: default: false', ', inherit: {default: false}', {}],
      [
        'keeps them for inherit: default: [id_tokens]',
        ', inherit: {default: [id_tokens]}',
        { VAULT: { aud: 'vault' }, AWS: { aud: 'aws' } },
      ],
      ['drops them for inherit: default: [timeout]', ', inherit: {default: [timeout]}', {}],
    ])('%s', (_case, job, expected) => {
      const result = pipeline(job);
      expect(result.errors).toEqual([]);
      expect(result.jobs[0].idTokens).toEqual(expected);
    });

    it('reports problems in default:id_tokens once, at default', () => {
      expect(lint('default: {id_tokens: {CI_TOKEN: {aud: ""}}}\none: {script: x}\ntwo: {script: x}').errors).toEqual([
        'default:id_tokens:CI_TOKEN invalid or reserved variable name',
        'default:id_tokens:CI_TOKEN id token aud must not be empty',
      ]);
    });
  });
});
