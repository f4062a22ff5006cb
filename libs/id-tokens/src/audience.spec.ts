import type { JobDefinition } from '@lanyard/ci-config';
import { AudienceVariables, TOKEN_VARIABLES, audienceSecretErrors, audienceSecretReferences, expandAudience } from './audience';
import type { IdTokenErrorCode } from './errors';

const VARIABLES = new Map([
  ['AUD', 'https://vault.example.com'],
  ['REGION', 'eu'],
  ['NESTED', '$AUD'],
  ['SECRET_AUD', 's3cr3t-value'],
  ['BAD', 'line\nbreak'],
  ['EMPTY', ''],
]);

describe(expandAudience.name, () => {
  it.each<[string, string | string[], string | string[]]>([
    ['a literal string', 'https://gitlab.com', 'https://gitlab.com'],
    ['$VAR', '$AUD', 'https://vault.example.com'],
    ['${VAR}', '${AUD}', 'https://vault.example.com'],
    ['%VAR% (GitLab’s Windows form)', '%AUD%', 'https://vault.example.com'],
    ['a variable inside text (29)', 'blah-$REGION', 'blah-eu'],
    ['${VAR} glued to text', 'sts.${REGION}.amazonaws.com', 'sts.eu.amazonaws.com'],
    ['an unknown variable inside text, as ""', 'blah-$WATHEVER', 'blah-'],
    ['a greedy name: $REGIONX is another variable', 'x-$REGIONX', 'x-'],
    ['a value holding a reference, not expanded again', '$NESTED', '$AUD'],
    ['$$, where GitLab’s regexp has no escape', '$$AUD', '$https://vault.example.com'],
    ['${} and a lone $ left alone', 'a${}b$', 'a${}b$'],
    ['each element of an array (29)', ['$AUD', 'https://aws.com', '%REGION%'], ['https://vault.example.com', 'https://aws.com', 'eu']],
    ['a one-element array, still an array', ['$AUD'], ['https://vault.example.com']],
  ])('expands %s', (_title, aud, expected) => {
    expect(expandAudience(aud, VARIABLES, 'VAULT_ID_TOKEN', [])).toEqual(expected);
  });

  it('returns a new array and leaves the input alone', () => {
    const aud = ['$AUD'];
    expect(expandAudience(aud, VARIABLES, 'TOK', [])).not.toBe(aud);
    expect(aud).toEqual(['$AUD']);
  });

  it.each<[string, string | string[], IdTokenErrorCode, string]>([
    [
      'an unset variable (A5)',
      '$UNSET_VAR',
      'ERR_AUD_EMPTY',
      'id_tokens.TOK.aud expanded to an empty value; define the CI/CD variables it uses (UNSET_VAR)',
    ],
    ['a variable set to ""', '${EMPTY}', 'ERR_AUD_EMPTY', '(EMPTY)'],
    ['several unset variables', '$A%B%', 'ERR_AUD_EMPTY', '(A, B)'],
    ['one empty element of an array', ['https://aws.com', '$UNSET_VAR'], 'ERR_AUD_EMPTY', 'id_tokens.TOK.aud expanded to an empty value'],
    ['an empty string', '', 'ERR_AUD_EMPTY', 'id_tokens.TOK.aud is empty'],
    ['an empty array', [], 'ERR_AUD_EMPTY', 'id_tokens.TOK.aud is empty'],
    ['a control character from a variable', 'x-$BAD', 'ERR_AUD_INVALID', 'id_tokens.TOK.aud expanded to a value'],
    ['a value past 1024 characters', `${'a'.repeat(1000)}$AUD`, 'ERR_AUD_INVALID', 'longer than 1024 characters'],
  ])('refuses %s, naming the token', (_title, aud, code, message) => {
    expect(() => expandAudience(aud, VARIABLES, 'TOK', [])).toThrow(
      expect.objectContaining({ name: 'IdTokenError', code, field: 'id_tokens.TOK.aud', message: expect.stringContaining(message) }),
    );
  });

  it('never echoes a variable’s value, which may be masked', () => {
    const secrets = new Map([['SECRET', `s3cr3t\u0000`]]);
    let message = '';
    try {
      expandAudience('$SECRET', secrets, 'TOK', []);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('id_tokens.TOK.aud');
    expect(message).not.toContain('s3cr3t');
  });
});

describe(`${expandAudience.name} and secrets`, () => {
  const JOB_TOKEN = 'glcbt-64_abcdefghijklmnop';
  const MASKED = 'c2VjcmV0LXZhbHVl';
  const variables = new Map([
    ['CI_JOB_TOKEN', JOB_TOKEN],
    ['VIA', JOB_TOKEN],
    ['MASKED_AUD', MASKED],
    ['PASTED', `https://${MASKED}.example.com`],
    ['AUD', 'https://vault.example.com'],
  ]);
  const secrets = [JOB_TOKEN, MASKED, 'glrt-runner-token-value', ''];

  it.each<[string, string | string[]]>([
    ['the job token', '$CI_JOB_TOKEN'],
    ['the job token through another variable (already expanded)', '${VIA}'],
    ['a masked variable', '%MASKED_AUD%'],
    ['a masked value pasted into another variable', '$PASTED'],
    ['a secret inside a longer audience', 'prefix-$MASKED_AUD-suffix'],
    ['a secret in one element of an array', ['$AUD', '$CI_JOB_TOKEN']],
    ['a runner token written literally', 'glrt-runner-token-value'],
  ])('refuses %s, naming the reference but never the value', (_title, aud) => {
    let error: unknown;
    try {
      expandAudience(aud, variables, 'TOK', secrets);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: 'IdTokenError', code: 'ERR_AUD_SECRET', field: 'id_tokens.TOK.aud' });
    const message = (error as Error).message;
    for (const secret of secrets.filter(Boolean)) expect(message).not.toContain(secret);
  });

  it('mints an audience free of secrets, and an empty secret matches nothing', () => {
    expect(expandAudience(['$AUD', 'sts.amazonaws.com'], variables, 'TOK', secrets)).toEqual([
      'https://vault.example.com',
      'sts.amazonaws.com',
    ]);
  });
});

describe(audienceSecretReferences.name, () => {
  const known: AudienceVariables = {
    values: new Map<string, readonly string[]>([
      ['VIA', ['$CI_JOB_TOKEN']],
      ['DEEP', ['x-${VIA}']],
      ['ESCAPED', ['$$CI_JOB_TOKEN']],
      ['CYCLE_A', ['$CYCLE_B']],
      ['CYCLE_B', ['$CYCLE_A $MASKED_VAR']],
      ['PLAIN', ['https://vault.example.com']],
      ['TWICE', ['plain', '%MASKED_VAR%']],
    ]),
    maskedNames: new Set(['MASKED_VAR']),
  };

  it.each<[string, string | string[], string[]]>([
    ['a literal audience', 'sts.amazonaws.com', []],
    ['a plain variable', '$PLAIN', []],
    ['an unknown variable', '$NOPE', []],
    ...TOKEN_VARIABLES.map((name): [string, string, string[]] => [`the token variable ${name}`, `https://$${name}`, [name]]),
    ['a masked variable', '${MASKED_VAR}', ['MASKED_VAR']],
    ['the job token through one variable', '$VIA', ['CI_JOB_TOKEN']],
    ['the job token through two', '%DEEP%', ['CI_JOB_TOKEN']],
    ['a $$ escape in a value, which expands to nothing', '$ESCAPED', []],
    ['a masked variable behind a reference cycle', '$CYCLE_A', ['MASKED_VAR']],
    ['any definition of a variable defined twice', '$TWICE', ['MASKED_VAR']],
    ['every element of an array, each secret once', ['$PLAIN', '$CI_JOB_TOKEN', '$VIA'], ['CI_JOB_TOKEN']],
  ])('finds %s', (_title, aud, expected) => {
    expect(audienceSecretReferences(aud, known)).toEqual(expected);
  });

  it('lists TOKEN_VARIABLES exactly, from GitLab’s predefined variables', () => {
    expect([...TOKEN_VARIABLES].sort()).toEqual([
      'CI_DEPENDENCY_PROXY_PASSWORD',
      'CI_DEPLOY_PASSWORD',
      'CI_JOB_JWT',
      'CI_JOB_JWT_V1',
      'CI_JOB_JWT_V2',
      'CI_JOB_TOKEN',
      'CI_REGISTRY_PASSWORD',
      'CI_REPOSITORY_URL',
      'CI_RUNNER_SHORT_TOKEN',
    ]);
  });
});

describe(audienceSecretErrors.name, () => {
  it('names the job, the token and the secrets, with GitLab’s location prefix', () => {
    const jobs: Pick<JobDefinition, 'name' | 'idTokens'>[] = [
      { name: 'deploy', idTokens: { AWS: { aud: 'sts.amazonaws.com' }, VAULT: { aud: ['$MASKED_VAR', '$CI_JOB_TOKEN'] } } },
      { name: 'build', idTokens: {} },
    ];
    const errors = audienceSecretErrors(jobs, { values: new Map(), maskedNames: new Set(['MASKED_VAR']) });
    expect(errors).toEqual([
      expect.stringMatching(/^jobs:deploy:id_tokens:VAULT aud refers to MASKED_VAR, CI_JOB_TOKEN, which holds a secret/),
    ]);
  });
});
