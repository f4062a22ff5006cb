import { parseSecrets } from './secrets-entry';
import { parseCiConfig } from './index';
import type { CiConfigResult, SecretDefinition } from './index';

const WITH_TOKEN = 'id_tokens: {VAULT_ID_TOKEN: {aud: https://vault.example.com}}';
const lint = (secrets: string, { idTokens = WITH_TOKEN, optInJwt = true } = {}): CiConfigResult =>
  parseCiConfig(`deploy: {script: x, ${idTokens ? `${idTokens}, ` : ''}secrets: ${secrets}}`, { optInJwt });
const secretOf = (secret: string, options?: { idTokens?: string; optInJwt?: boolean }): SecretDefinition => {
  const result = lint(`{DB: ${secret}}`, options);
  expect(result.errors).toEqual([]);
  return result.jobs[0].secrets.DB;
};
const errorsOf = (secret: string, options?: { idTokens?: string; optInJwt?: boolean }): string[] => lint(`{DB: ${secret}}`, options).errors;
const AT = 'jobs:deploy:secrets:DB';

describe(parseSecrets.name, () => {
  describe('the short Vault form, split as GitLab does (last @, then last /)', () => {
    it.each([
      ['production/db/password@ops', { name: 'kv-v2', path: 'ops' }, 'production/db', 'password'],
      ['production/db/password', { name: 'kv-v2', path: 'kv-v2' }, 'production/db', 'password'],
      ['a/b/c/key@engine/path', { name: 'kv-v2', path: 'engine/path' }, 'a/b/c', 'key'],
      ['ops@example.com/db/password@kv', { name: 'kv-v2', path: 'kv' }, 'ops@example.com/db', 'password'],
      ['@team/db/password', { name: 'kv-v2', path: 'kv-v2' }, '@team/db', 'password'],
    ])('reads %s', (vault, engine, path, field) => {
      expect(secretOf(`{vault: "${vault}"}`)).toEqual({ vault: { engine, path, field }, token: 'VAULT_ID_TOKEN', file: true });
    });

    it.each([
      ['no path', 'password', [`${AT}:vault path can't be blank`]],
      ['no field', 'production/db/', [`${AT}:vault field can't be blank`]],
      ['no engine path', 'production/db/password@', [`${AT}:vault:engine path can't be blank`]],
      ['nothing at all', '""', [`${AT}:vault config can't be blank`]],
    ])('rejects %s', (_case, vault, errors) => {
      expect(errorsOf(`{vault: ${vault}}`)).toEqual(errors);
    });
  });

  describe('the hash Vault form', () => {
    it('reads engine, path and field', () => {
      expect(secretOf('{vault: {engine: {name: kv-v1, path: secret}, path: ci/db, field: password}}')).toEqual({
        vault: { engine: { name: 'kv-v1', path: 'secret' }, path: 'ci/db', field: 'password' },
        token: 'VAULT_ID_TOKEN',
        file: true,
      });
    });

    const ENGINE = 'engine: {name: kv-v2, path: kv}';
    it.each([
      ['no path', `{${ENGINE}, field: f}`, [`${AT}:vault path can't be blank`]],
      ['an empty path', `{${ENGINE}, path: "", field: f}`, [`${AT}:vault path can't be blank`]],
      ['a path that is a number', `{${ENGINE}, path: 5, field: f}`, [`${AT}:vault path should be a string`]],
      ['no field', `{${ENGINE}, path: p}`, [`${AT}:vault field can't be blank`]],
      ['a field that is a list', `{${ENGINE}, path: p, field: [f]}`, [`${AT}:vault field should be a string`]],
      ['no engine', '{path: p, field: f}', [`${AT}:vault engine can't be blank`]],
      ['an empty engine', '{engine: {}, path: p, field: f}', [`${AT}:vault engine can't be blank`]],
      ['an engine that is a string', '{engine: kv-v2, path: p, field: f}', [`${AT}:vault engine should be a hash`]],
      ['an engine without path', '{engine: {name: kv-v2}, path: p, field: f}', [`${AT}:vault:engine path can't be blank`]],
      ['an engine without name', '{engine: {path: kv}, path: p, field: f}', [`${AT}:vault:engine name can't be blank`]],
      ['an engine with a numeric name', '{engine: {name: 2, path: kv}, path: p, field: f}', [`${AT}:vault:engine name should be a string`]],
      [
        'unknown engine keys',
        '{engine: {name: kv-v2, path: kv, version: 2}, path: p, field: f}',
        [`${AT}:vault:engine config contains unknown keys: version`],
      ],
      [
        'unknown keys (GitLab’s newer fields)',
        `{${ENGINE}, path: p, field: f, strategy: read}`,
        [`${AT}:vault config contains unknown keys: strategy`],
      ],
    ])('rejects %s', (_case, vault, errors) => {
      expect(errorsOf(`{vault: ${vault}}`)).toEqual(errors);
    });

    it.each([
      ['a number', '5'],
      ['a list', '[a/b]'],
      ['empty', ''],
    ])('rejects vault given as %s', (_case, vault) => {
      expect(errorsOf(`{vault: ${vault}}`)).toEqual([`${AT}:vault should be a hash or a string`]);
    });
  });

  describe('the secret', () => {
    it.each([
      ['not set', '', true],
      ['true', ', file: true', true],
      ['false', ', file: false', false],
      ['YAML 1.1 no', ', file: no', false],
      ['empty', ', file: ', true],
    ])('is a file variable when file is %s', (_case, file, expected) => {
      expect(secretOf(`{vault: a/b${file}}`).file).toBe(expected);
    });

    it.each([
      ['a string', '"false"'],
      ['a number', '0'],
    ])('rejects file given as %s', (_case, file) => {
      expect(errorsOf(`{vault: a/b, file: ${file}}`)).toEqual([`${AT}:file config should be a boolean value`]);
    });

    it.each([
      ['secrets as a list', '[DB]', ['jobs:deploy:secrets config should be a hash']],
      ['a secret as a string', '{DB: a/b}', [`${AT} config should be a hash`]],
      ['a secret without vault', '{DB: {file: true}}', [`${AT} config missing required keys: vault`]],
      [
        'another provider',
        '{DB: {vault: a/b, aws_secrets_manager: {name: x}}}',
        [`${AT} config contains unknown keys: aws_secrets_manager`],
      ],
      ['a reserved name', '{CI_DB: {vault: a/b}}', ['jobs:deploy:secrets:CI_DB invalid or reserved variable name']],
      ['an invalid name', '{DB-PASS: {vault: a/b}}', ['jobs:deploy:secrets:DB-PASS invalid or reserved variable name']],
    ])('rejects %s', (_case, secrets, errors) => {
      expect(lint(secrets).errors).toEqual(errors);
    });
  });

  describe('token', () => {
    const TWO_TOKENS = 'id_tokens: {VAULT: {aud: vault}, AWS: {aud: aws}}';

    it.each([
      ['$NAME', '$AWS', 'AWS'],
      ['${NAME}', '${AWS}', 'AWS'],
    ])('takes the ID token named as %s', (_case, token, expected) => {
      const result = lint(`{DB: {vault: a/b, token: "${token}"}}`, { idTokens: TWO_TOKENS });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect(result.jobs[0].secrets.DB.token).toBe(expected);
    });

    it('uses the only ID token when no token is named', () => {
      const result = lint('{DB: {vault: a/b}}');
      expect(result.warnings).toEqual([]);
      expect(result.jobs[0].secrets.DB.token).toBe('VAULT_ID_TOKEN');
    });

    it('uses the first of several ID tokens, with a warning, when no token is named', () => {
      const result = lint('{DB: {vault: a/b}}', { idTokens: TWO_TOKENS });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([`${AT} has no token: and the job has several id tokens; the first, VAULT, is used`]);
      expect(result.jobs[0].secrets.DB.token).toBe('VAULT');
    });

    it('rejects a token naming no ID token of the job (A8)', () => {
      expect(errorsOf('{vault: a/b@c, token: $NOPE}')).toEqual([`${AT} token refers to undefined id token NOPE`]);
    });

    it.each([
      ['without $', 'VAULT_ID_TOKEN'],
      ['with text around it', '"$VAULT_ID_TOKEN-x"'],
      ['with an unclosed brace', '"${VAULT_ID_TOKEN"'],
      ['empty', '""'],
    ])('rejects a token %s', (_case, token) => {
      expect(errorsOf(`{vault: a/b, token: ${token}}`)).toEqual([`${AT} token should reference an id token, like $ID_TOKEN`]);
    });

    it('rejects a token that is not a string', () => {
      expect(errorsOf('{vault: a/b, token: [x]}')).toEqual([`${AT} token should be a string`]);
    });

    it('requires an ID token for a Vault secret when opt_in_jwt is on (A9)', () => {
      expect(errorsOf('{vault: a/b}', { idTokens: '' })).toEqual([
        `${AT} needs an id token to authenticate with Vault: define id_tokens in the job or in default`,
      ]);
    });

    it('falls back to the legacy CI_JOB_JWT, with a warning, when opt_in_jwt is off', () => {
      const result = lint('{DB: {vault: a/b}}', { idTokens: '', optInJwt: false });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([`${AT} authenticates with the deprecated CI_JOB_JWT; define id_tokens instead`]);
      expect(result.jobs[0].secrets.DB.token).toBeNull();
    });

    it.each(['CI_JOB_JWT', 'CI_JOB_JWT_V1', 'CI_JOB_JWT_V2'])('accepts token: $%s only while opt_in_jwt is off', (name) => {
      expect(secretOf(`{vault: a/b, token: $${name}}`, { idTokens: '', optInJwt: false }).token).toBe(name);
      expect(errorsOf(`{vault: a/b, token: $${name}}`, { idTokens: '' })).toEqual([`${AT} token refers to undefined id token ${name}`]);
    });

    it('counts ID tokens inherited from default:, unless the job opts out', () => {
      const pipeline = (inherit: string): CiConfigResult =>
        parseCiConfig(`default: {id_tokens: {VAULT: {aud: v}}}\njob: {script: x, ${inherit}secrets: {DB: {vault: a/b, token: $VAULT}}}`, {
          optInJwt: true,
        });
      expect(pipeline('').jobs[0].secrets.DB.token).toBe('VAULT');
      expect(pipeline('inherit: {default: false}, ').errors).toEqual(['jobs:job:secrets:DB token refers to undefined id token VAULT']);
    });
  });
});
