import { ENVIRONMENT_NAME_PATTERN } from './environment-name';
import { DEPLOYMENT_TIERS, ENVIRONMENT_ACTIONS, ENVIRONMENT_KEYWORDS } from './keywords';
import type { DeploymentTier, EnvironmentAction } from './keywords';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import type { EnvironmentDefinition } from './types';
import { Problems, type YamlValue, isMap, isString, unknownKeys } from './values';

const includes = <T extends string>(list: readonly T[], value: YamlValue | undefined): value is T =>
  (list as readonly YamlValue[]).includes(value ?? null);

/** `environment:` as a name, or a hash of `name`, `url`, `deployment_tier` and `action` (default `start`). */
export function parseEnvironment(value: YamlValue, location: string, problems: Problems): EnvironmentDefinition | null {
  const before = problems.errors.length;
  if (isString(value)) {
    checkName(value, location, problems);
    return problems.errors.length === before ? { name: value, action: 'start' } : null;
  }
  if (!isMap(value)) {
    problems.error(msg.environmentInvalid(location));
    return null;
  }
  const extra = unknownKeys(value, ENVIRONMENT_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const name = value.get('name');
  checkName(name, location, problems);
  const action = value.get('action');
  const tier = value.get('deployment_tier');
  if (action !== undefined && action !== null && !includes(ENVIRONMENT_ACTIONS, action)) {
    problems.error(msg.environmentAction(location));
  }
  if (tier !== undefined && tier !== null && !includes(DEPLOYMENT_TIERS, tier)) {
    problems.error(msg.deploymentTier(location));
  }
  const url = value.get('url');
  if (url !== undefined && url !== null && !isString(url)) problems.error(msg.environmentUrlType(location));
  else if (isString(url) && [...url].length > 255) problems.error(msg.environmentUrlTooLong(location));
  if (problems.errors.length !== before || !isString(name)) return null;
  return {
    name,
    ...(isString(url) ? { url } : {}),
    ...(includes(DEPLOYMENT_TIERS, tier) ? { deploymentTier: tier as DeploymentTier } : {}),
    action: includes(ENVIRONMENT_ACTIONS, action) ? (action as EnvironmentAction) : 'start',
  };
}

function checkName(name: YamlValue | undefined, location: string, problems: Problems): void {
  if (name === undefined || name === null || (isString(name) && name.trim() === '')) {
    problems.error(msg.blank(location, 'name'));
  } else if (!isString(name) || !ENVIRONMENT_NAME_PATTERN.test(name)) {
    problems.error(msg.environmentNameFormat(location));
  } else if (name.length > LIMITS.maxEnvironmentNameLength) {
    problems.error(msg.environmentNameTooLong(location));
  }
}
