import { expandAudience } from './audience';
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
    expect(expandAudience(aud, VARIABLES, 'VAULT_ID_TOKEN')).toEqual(expected);
  });

  it('returns a new array and leaves the input alone', () => {
    const aud = ['$AUD'];
    expect(expandAudience(aud, VARIABLES, 'TOK')).not.toBe(aud);
    expect(aud).toEqual(['$AUD']);
  });

  it.each<[string, string | string[], IdTokenErrorCode, string]>([
    ['an unset variable (A5)', '$UNSET_VAR', 'ERR_AUD_EMPTY', 'id_tokens.TOK.aud expanded to an empty value; define the CI/CD variables it uses (UNSET_VAR)'],
    ['a variable set to ""', '${EMPTY}', 'ERR_AUD_EMPTY', '(EMPTY)'],
    ['several unset variables', '$A%B%', 'ERR_AUD_EMPTY', '(A, B)'],
    ['one empty element of an array', ['https://aws.com', '$UNSET_VAR'], 'ERR_AUD_EMPTY', 'id_tokens.TOK.aud expanded to an empty value'],
    ['an empty string', '', 'ERR_AUD_EMPTY', 'id_tokens.TOK.aud is empty'],
    ['an empty array', [], 'ERR_AUD_EMPTY', 'id_tokens.TOK.aud is empty'],
    ['a control character from a variable', 'x-$BAD', 'ERR_AUD_INVALID', 'id_tokens.TOK.aud expanded to a value'],
    ['a value past 1024 characters', `${'a'.repeat(1000)}$AUD`, 'ERR_AUD_INVALID', 'longer than 1024 characters'],
  ])('refuses %s, naming the token', (_title, aud, code, message) => {
    expect(() => expandAudience(aud, VARIABLES, 'TOK')).toThrow(
      expect.objectContaining({ name: 'IdTokenError', code, field: 'id_tokens.TOK.aud', message: expect.stringContaining(message) }),
    );
  });

  it('never echoes a variable’s value, which may be masked', () => {
    const secrets = new Map([['SECRET', `s3cr3t\u0000`]]);
    let message = '';
    try {
      expandAudience('$SECRET', secrets, 'TOK');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('id_tokens.TOK.aud');
    expect(message).not.toContain('s3cr3t');
  });
});
