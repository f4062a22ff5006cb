import { DEFAULT_VAULT_ENGINE, LEGACY_JWT_VARIABLES, SECRET_KEYWORDS, VAULT_ENGINE_KEYWORDS, VAULT_SECRET_KEYWORDS } from './keywords';
import { ciConfigMessages as msg } from './messages';
import { isValidJobVariableName } from './text-rules';
import type { SecretDefinition, VaultSecretDefinition } from './types';
import { Problems, type YamlMap, type YamlValue, isMap, isString, unknownKeys } from './values';

export interface SecretsContext {
  /** The job's effective ID token names, in order (its own, else those inherited from `default:`). */
  readonly idTokenNames: readonly string[];
  readonly optInJwt: boolean;
}

const TOKEN_REFERENCE = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/;

/** `secrets:` of a job (GitLab EE: `Entry::Secret` with `Entry::Vault::Secret`); only the Vault provider exists. */
export function parseSecrets(
  value: YamlValue,
  location: string,
  context: SecretsContext,
  problems: Problems,
): Map<string, SecretDefinition> {
  const secrets = new Map<string, SecretDefinition>();
  if (!isMap(value)) {
    problems.error(msg.shouldBeHash(location));
    return secrets;
  }
  for (const [name, config] of value) {
    const at = `${location}:${name}`;
    if (!isValidJobVariableName(name)) problems.error(msg.invalidVariableName(at));
    if (!isMap(config)) {
      problems.error(msg.shouldBeHash(at));
      continue;
    }
    const extra = unknownKeys(config, SECRET_KEYWORDS);
    if (extra.length > 0) problems.error(msg.unknownKeys(at, extra));
    if (!config.has('vault')) problems.error(msg.missingKeys(at, ['vault']));
    const vault = config.has('vault') ? parseVault(config.get('vault') ?? null, `${at}:vault`, problems) : null;
    const file = parseFile(config.get('file'), `${at}:file`, problems);
    const token = resolveToken(config.get('token'), at, context, problems);
    if (vault) secrets.set(name, { vault, token, file });
  }
  return secrets;
}

function parseFile(value: YamlValue | undefined, location: string, problems: Problems): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  problems.error(msg.booleanValue(location));
  return true;
}

/** DESIGN §5: `token: $NAME`, else the job's first ID token, else (legacy on) `${CI_JOB_JWT}`. */
function resolveToken(
  value: YamlValue | undefined,
  at: string,
  { idTokenNames, optInJwt }: SecretsContext,
  problems: Problems,
): string | null {
  if (value === undefined || value === null) {
    const [first] = idTokenNames;
    if (first !== undefined) {
      if (idTokenNames.length > 1) problems.warn(msg.secretUsesFirstIdToken(at, first));
      return first;
    }
    if (optInJwt) problems.error(msg.secretNeedsIdToken(at));
    else problems.warn(msg.secretUsesLegacyJwt(at));
    return null;
  }
  if (!isString(value)) {
    problems.error(msg.shouldBeString(at, 'token'));
    return null;
  }
  const match = TOKEN_REFERENCE.exec(value);
  if (!match) {
    problems.error(msg.secretTokenFormat(at));
    return null;
  }
  const name = match[1] ?? match[2];
  const legacy = !optInJwt && (LEGACY_JWT_VARIABLES as readonly string[]).includes(name);
  if (!idTokenNames.includes(name) && !legacy) problems.error(msg.secretTokenUndefined(at, name));
  return name;
}

/** The short form `path/to/secret/field@engine-path` (GitLab: `Vault::Secret::StringStrategy`) or the hash form. */
function parseVault(value: YamlValue, location: string, problems: Problems): VaultSecretDefinition | null {
  if (isString(value)) {
    if (value === '') {
      problems.error(msg.blank(location, 'config'));
      return null;
    }
    // GitLab splits at the last `@` (none, or only a leading one: the default engine), then at the last `/`.
    const at = value.lastIndexOf('@');
    const [secret, enginePath] = at > 0 ? [value.slice(0, at), value.slice(at + 1)] : [value, DEFAULT_VAULT_ENGINE];
    const slash = secret.lastIndexOf('/');
    const vault = {
      engine: { name: DEFAULT_VAULT_ENGINE, path: enginePath },
      path: slash >= 0 ? secret.slice(0, slash) : '',
      field: secret.slice(slash + 1),
    };
    const before = problems.errors.length;
    if (vault.path === '') problems.error(msg.blank(location, 'path'));
    if (vault.field === '') problems.error(msg.blank(location, 'field'));
    if (vault.engine.path === '') problems.error(msg.blank(`${location}:engine`, 'path'));
    return problems.errors.length === before ? vault : null;
  }
  if (!isMap(value)) {
    problems.error(msg.vaultInvalid(location));
    return null;
  }
  const before = problems.errors.length;
  const extra = unknownKeys(value, VAULT_SECRET_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const path = requiredString(value, 'path', location, problems);
  const field = requiredString(value, 'field', location, problems);
  const engine = parseEngine(value.get('engine'), location, problems);
  return problems.errors.length === before && engine ? { engine, path, field } : null;
}

function parseEngine(value: YamlValue | undefined, location: string, problems: Problems): VaultSecretDefinition['engine'] | null {
  if (value === undefined || value === null || (isMap(value) && value.size === 0)) {
    problems.error(msg.blank(location, 'engine'));
    return null;
  }
  if (!isMap(value)) {
    problems.error(msg.attributeShouldBeHash(location, 'engine'));
    return null;
  }
  const at = `${location}:engine`;
  const extra = unknownKeys(value, VAULT_ENGINE_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(at, extra));
  return { name: requiredString(value, 'name', at, problems), path: requiredString(value, 'path', at, problems) };
}

function requiredString(map: YamlMap, key: string, location: string, problems: Problems): string {
  const value = map.get(key);
  if (value === undefined || value === null || value === '') problems.error(msg.blank(location, key));
  else if (!isString(value)) problems.error(msg.shouldBeString(location, key));
  return isString(value) ? value : '';
}
