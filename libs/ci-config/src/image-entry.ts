import { DOCKER_OPTION_KEYWORDS, IMAGE_KEYWORDS, KUBERNETES_OPTION_KEYWORDS, PULL_POLICIES, SERVICE_KEYWORDS } from './execution-keywords';
import type { PullPolicy } from './execution-keywords';
import { JOB_VARIABLE_DATA_KEYWORDS } from './keywords';
import { ciConfigMessages as msg } from './messages';
import type { ImageDefinition, ImageExecutorOptions, ServiceDefinition } from './types';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlMap, type YamlValue, isMap, isSeq, isString, isStringArray, ownRecord, unknownKeys } from './values';
import { parseVariables } from './variables-entry';

/** `image:` (GitLab: `Entry::Image` with `Imageable`): a name, or a hash of name, entrypoint, pull_policy, docker, kubernetes. */
export function parseImage(value: YamlValue, location: string, problems: Problems): ImageDefinition | null {
  const before = problems.errors.length;
  const image = parseImageable(value, location, IMAGE_KEYWORDS, problems);
  return image && problems.errors.length === before ? image.definition : null;
}

/** `services:` (GitLab: `Entry::Services` of `Entry::Service`): a list of names or hashes, each an image plus alias, command, variables. */
export function parseServices(value: YamlValue, location: string, problems: Problems): ServiceDefinition[] | null {
  if (!isSeq(value)) {
    problems.error(v.array(location));
    return null;
  }
  const before = problems.errors.length;
  const services = value.map((item) => parseService(item, `${location}:service`, problems));
  return problems.errors.length === before ? services.filter((service) => service !== null) : null;
}

function parseService(value: YamlValue, location: string, problems: Problems): ServiceDefinition | null {
  const image = parseImageable(value, location, SERVICE_KEYWORDS, problems);
  if (!image) return null;
  const hash = image.hash;
  const alias = hash?.get('alias') ?? null;
  if (alias !== null && !isString(alias)) problems.error(v.string(location, 'alias'));
  const command = hash?.get('command') ?? null;
  if (command !== null && !isStringArray(command)) problems.error(v.arrayOfStrings(location, 'command'));
  const variables = hash?.has('variables')
    ? parseVariables(hash.get('variables') ?? null, `${location}:variables`, JOB_VARIABLE_DATA_KEYWORDS, problems)
    : new Map<string, string>();
  return {
    ...image.definition,
    alias: isString(alias) ? alias : null,
    command: isStringArray(command) ? command : null,
    variables: ownRecord(variables),
  };
}

interface Imageable {
  readonly definition: ImageDefinition;
  /** The hash form, for the keys a service adds. */
  readonly hash: YamlMap | null;
}

function parseImageable(value: YamlValue, location: string, keywords: readonly string[], problems: Problems): Imageable | null {
  if (isString(value)) {
    if (value === '') problems.error(v.blank(location, 'name'));
    return { definition: { name: value, entrypoint: null, pullPolicy: null, executorOptions: null }, hash: null };
  }
  if (!isMap(value)) {
    problems.error(v.hashOrString(location));
    return null;
  }
  // GitLab: `ports` is a known key that jobs may not use (only with image ports enabled).
  const extra = unknownKeys(value, [...keywords, 'ports']);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  if (value.has('ports')) problems.error(v.disallowedKeys(location, ['ports']));
  const name = value.get('name') ?? null;
  if (!isString(name)) problems.error(v.string(location, 'name'));
  if (name === null || name === '') problems.error(v.blank(location, 'name'));
  const entrypoint = value.get('entrypoint') ?? null;
  if (entrypoint !== null && !isStringArray(entrypoint)) problems.error(v.arrayOfStrings(location, 'entrypoint'));
  const pullPolicy = value.has('pull_policy')
    ? parsePullPolicy(value.get('pull_policy') ?? null, `${location}:pull_policy`, problems)
    : null;
  return {
    definition: {
      name: isString(name) ? name : '',
      entrypoint: isStringArray(entrypoint) ? entrypoint : null,
      pullPolicy,
      executorOptions: parseExecutorOptions(value, location, problems),
    },
    hash: value,
  };
}

/** GitLab: `Entry::PullPolicy`, always kept as a list. */
function parsePullPolicy(value: YamlValue, location: string, problems: Problems): PullPolicy[] | null {
  const known = (policy: string): policy is PullPolicy => (PULL_POLICIES as readonly string[]).includes(policy);
  if (isString(value)) {
    if (known(value)) return [value];
    problems.error(v.notInList(location));
  } else if (isStringArray(value)) {
    const unknown = value.filter((policy) => !known(policy));
    if (unknown.length > 0) problems.error(v.unknownValues(location, 'config', unknown));
    if (value.length === 0) problems.error(v.blank(location));
    if (unknown.length === 0 && value.length > 0) return value.filter(known);
  } else {
    problems.error(v.arrayOfStringsOrString(location));
  }
  return null;
}

/**
 * `docker: {platform, user}` and `kubernetes: {user}` (GitLab: the `executor_opts.json` schema, its errors worded as
 * `json_schemer` words them).
 */
function parseExecutorOptions(image: YamlMap, location: string, problems: Problems): ImageExecutorOptions | null {
  const docker = image.get('docker');
  const kubernetes = image.get('kubernetes');
  if (docker === undefined && kubernetes === undefined) return null;
  const invalid = (pointer: string, rule: string) => problems.error(msg.executorOptionInvalid(location, pointer, rule));
  const text = (option: YamlMap, key: string, pointer: string, maxLength: number, integerAllowed = false): string | number | undefined => {
    const setting = option.get(key);
    if (setting === undefined) return undefined;
    if (integerAllowed && typeof setting === 'number' && Number.isSafeInteger(setting)) return setting;
    if (!isString(setting)) invalid(`${pointer}/${key}`, integerAllowed ? 'type' : 'string');
    else if (setting.length < 1) invalid(`${pointer}/${key}`, 'minLength');
    else if (setting.length > maxLength) invalid(`${pointer}/${key}`, 'maxLength');
    else return setting;
    return undefined;
  };
  const options = (value: YamlValue | undefined, pointer: string, keys: readonly string[]): YamlMap | null => {
    if (value === undefined) return null;
    if (!isMap(value)) {
      invalid(pointer, 'object');
      return null;
    }
    for (const key of unknownKeys(value, keys)) invalid(`${pointer}/${key}`, 'schema');
    return value;
  };
  const dockerOptions = options(docker, '/docker', DOCKER_OPTION_KEYWORDS);
  const kubernetesOptions = options(kubernetes, '/kubernetes', KUBERNETES_OPTION_KEYWORDS);
  const platform = dockerOptions ? text(dockerOptions, 'platform', '/docker', 64) : undefined;
  const dockerUser = dockerOptions ? text(dockerOptions, 'user', '/docker', 255) : undefined;
  const kubernetesUser = kubernetesOptions ? text(kubernetesOptions, 'user', '/kubernetes', 255, true) : undefined;
  return {
    ...(dockerOptions
      ? {
          docker: {
            ...(platform !== undefined ? { platform: String(platform) } : {}),
            ...(dockerUser !== undefined ? { user: String(dockerUser) } : {}),
          },
        }
      : {}),
    ...(kubernetesOptions ? { kubernetes: kubernetesUser !== undefined ? { user: kubernetesUser } : {} } : {}),
  };
}
