import { CI_CONFIG_LIMITS, hasControlOrBidiCharacters } from '@lanyard/ci-config';
import { IdTokenError } from './errors';

/** GitLab's `ExpandVariables::VARIABLES_REGEXP`: `$NAME`, `${NAME}` and `%NAME%`, no escapes. */
const VARIABLE_REFERENCE = /\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g;

/**
 * An `id_tokens` entry's `aud` with CI/CD variables expanded once, per element, as GitLab mints it: unknown variables
 * become "", values are not expanded again, the shape (string or array) is kept. An audience that ends up empty is an
 * error naming the token and the variables it used, never a token without an audience (RFC 8725 §3.9). Messages
 * never echo a variable's value: it may be masked.
 */
export function expandAudience(
  aud: string | readonly string[],
  variables: ReadonlyMap<string, string>,
  tokenName: string,
): string | string[] {
  const field = `id_tokens.${tokenName}.aud`;
  if (typeof aud !== 'string' && aud.length === 0) {
    throw new IdTokenError('ERR_AUD_EMPTY', field, `${field} is empty; name at least one audience`);
  }
  const expand = (entry: string): string => {
    const used: string[] = [];
    const value = entry.replace(VARIABLE_REFERENCE, (_match, plain?: string, braced?: string, percent?: string) => {
      const name = plain ?? braced ?? percent ?? '';
      used.push(name);
      return variables.get(name) ?? '';
    });
    if (value === '') {
      throw new IdTokenError(
        'ERR_AUD_EMPTY',
        field,
        used.length
          ? `${field} expanded to an empty value; define the CI/CD variables it uses (${used.join(', ')}) or write the audience literally`
          : `${field} is empty; name the audience`,
      );
    }
    if (value.length > CI_CONFIG_LIMITS.maxAudLength || hasControlOrBidiCharacters(value)) {
      throw new IdTokenError(
        'ERR_AUD_INVALID',
        field,
        `${field} expanded to a value longer than ${CI_CONFIG_LIMITS.maxAudLength} characters or holding control characters; check the CI/CD variables it uses`,
      );
    }
    return value;
  };
  return typeof aud === 'string' ? expand(aud) : aud.map(expand);
}
