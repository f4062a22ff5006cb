import { CI_CONFIG_LIMITS } from './limits';

/**
 * GitLab's `Gitlab::Regex.environment_name_regex`: letters, digits, spaces and `- _ / $ { } .`, not starting or ending
 * with `/`. No `:`, so an environment name cannot forge a component of an ID token's `sub`. The one definition: the
 * YAML linter, the environments API and the expanded names of jobs' environments all use it.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-zA-Z0-9_${}. -](?:[a-zA-Z0-9_/${}. -]*[a-zA-Z0-9_${}. -])?$/;
export const ENVIRONMENT_NAME_MAX_LENGTH = CI_CONFIG_LIMITS.maxEnvironmentNameLength;
export const ENVIRONMENT_NAME_MESSAGE =
  "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'";

export function isValidEnvironmentName(name: string): boolean {
  return name.length <= ENVIRONMENT_NAME_MAX_LENGTH && ENVIRONMENT_NAME_PATTERN.test(name);
}
