import { CI_CONFIG_LIMITS, JobDefinition, hasControlOrBidiCharacters } from '@lanyard/ci-config';
import { variableReferences } from '@lanyard/pipelines';
import { IdTokenError } from './errors';

/** GitLab's `ExpandVariables::VARIABLES_REGEXP`: `$NAME`, `${NAME}` and `%NAME%`, no escapes. */
const VARIABLE_REFERENCE = /\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g;

/**
 * GitLab's predefined variables that hold a credential: the job token (also as the registry and dependency proxy
 * password and inside the repository URL), the legacy job JWTs, the deploy token, and the runner token's prefix.
 */
export const TOKEN_VARIABLES: readonly string[] = [
  'CI_JOB_TOKEN',
  'CI_JOB_JWT',
  'CI_JOB_JWT_V1',
  'CI_JOB_JWT_V2',
  'CI_REGISTRY_PASSWORD',
  'CI_DEPENDENCY_PROXY_PASSWORD',
  'CI_REPOSITORY_URL',
  'CI_DEPLOY_PASSWORD',
  'CI_RUNNER_SHORT_TOKEN',
];

const TOKEN_VARIABLE_NAMES: ReadonlySet<string> = new Set(TOKEN_VARIABLES);

/**
 * An `id_tokens` entry's `aud` with CI/CD variables expanded once, per element, as GitLab mints it: unknown variables
 * become "", values are not expanded again, the shape (string or array) is kept. An audience that ends up empty is an
 * error naming the token and the variables it used, never a token without an audience (RFC 8725 §3.9); so is one
 * holding any of `secretValues` (masked variables, the job and runner tokens), which every relying party and the
 * issuance audit would see. Messages never echo a variable's value: it may be masked.
 */
export function expandAudience(
  aud: string | readonly string[],
  variables: ReadonlyMap<string, string>,
  tokenName: string,
  secretValues: readonly string[],
): string | string[] {
  const field = `id_tokens.${tokenName}.aud`;
  if (typeof aud !== 'string' && aud.length === 0) {
    throw new IdTokenError('ERR_AUD_EMPTY', field, `${field} is empty; name at least one audience`);
  }
  const secrets = secretValues.filter((secret) => secret !== '');
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
    if (secrets.some((secret) => value.includes(secret))) {
      throw new IdTokenError(
        'ERR_AUD_SECRET',
        field,
        `${field} would carry a masked variable or a job or runner token (${used.join(', ') || 'written literally'}); an audience is public`,
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

/** What an `aud` may reach through variables, known before any job runs (lint, pipeline creation). */
export interface AudienceVariables {
  /** Each variable's values as defined (YAML, project and group), followed as the collection expands them; not raw ones. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** Masked variables of the project and its groups; `TOKEN_VARIABLES` always count. */
  readonly maskedNames: ReadonlySet<string>;
}

/**
 * The secret variables an `aud` refers to, directly or through other variables (`VAR: $CI_JOB_TOKEN`, `aud: $VAR`),
 * in the order found; each variable is visited once, so reference cycles end.
 */
export function audienceSecretReferences(aud: string | readonly string[], known: AudienceVariables): string[] {
  const pending = (typeof aud === 'string' ? [aud] : aud).flatMap((entry) =>
    [...entry.matchAll(VARIABLE_REFERENCE)].map((m) => m[1] ?? m[2] ?? m[3]),
  );
  const visited = new Set<string>();
  const secrets: string[] = [];
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (visited.has(name)) continue;
    visited.add(name);
    if (TOKEN_VARIABLE_NAMES.has(name) || known.maskedNames.has(name)) secrets.push(name);
    for (const value of known.values.get(name) ?? []) pending.push(...variableReferences(value));
  }
  return secrets;
}

/** A lint error for each `id_tokens` entry whose `aud` refers to a secret, with GitLab's location prefix. */
export function audienceSecretErrors(jobs: readonly Pick<JobDefinition, 'name' | 'idTokens'>[], known: AudienceVariables): string[] {
  return jobs.flatMap((job) =>
    Object.entries(job.idTokens).flatMap(([tokenName, { aud }]) => {
      const secrets = audienceSecretReferences(aud, known);
      return secrets.length
        ? [
            `jobs:${job.name}:id_tokens:${tokenName} aud refers to ${secrets.join(', ')}, which holds a secret (a masked variable or a job or runner token); an audience is public: every relying party and the issuance audit see it`,
          ]
        : [];
    }),
  );
}
