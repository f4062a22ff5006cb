import { CI_CONFIG_LIMITS as LIMITS } from './limits';

const list = (items: readonly (string | number)[]): string => items.join(', ');

/**
 * GitLab's generic validator messages (`Gitlab::Config::Entry::Validators`, ActiveModel's): `<location> <attribute>
 * <text>`, where the attribute is `config` for the entry itself and GitLab's humanized name otherwise (`expire in`).
 */
export const validatorMessages = {
  boolean: (location: string, attribute = 'config') => `${location} ${attribute} should be a boolean value`,
  string: (location: string, attribute = 'config') => `${location} ${attribute} should be a string`,
  hash: (location: string, attribute = 'config') => `${location} ${attribute} should be a hash`,
  /** GitLab's `type: Array` in a message: "a array", verbatim. */
  array: (location: string, attribute = 'config') => `${location} ${attribute} should be a array`,
  hashOrString: (location: string, attribute = 'config') => `${location} ${attribute} should be a hash or a string`,
  arrayOfStrings: (location: string, attribute = 'config') => `${location} ${attribute} should be an array of strings`,
  arrayOfStringsOrString: (location: string, attribute = 'config') => `${location} ${attribute} should be an array of strings or a string`,
  arrayOfIntegersOrInteger: (location: string, attribute = 'config') =>
    `${location} ${attribute} should be an array of integers or an integer`,
  commands: (location: string) =>
    `${location} config should be a string or a nested array of strings up to ${LIMITS.maxScriptNesting} levels deep`,
  blank: (location: string, attribute = 'config') => `${location} ${attribute} can't be blank`,
  mustBeBlank: (location: string, attribute = 'config') => `${location} ${attribute} must be blank`,
  oneOf: (location: string, attribute: string, values: readonly string[]) => `${location} ${attribute} should be one of: ${list(values)}`,
  notInList: (location: string, attribute = 'config') => `${location} ${attribute} is not included in the list`,
  unknownValues: (location: string, attribute: string, values: readonly string[]) =>
    `${location} ${attribute} contains unknown values: ${list(values)}`,
  disallowedKeys: (location: string, keys: readonly string[]) => `${location} config contains disallowed keys: ${list(keys)}`,
  keysTogether: (location: string, keys: readonly string[]) => `${location} config these keys cannot be used together: ${list(keys)}`,
  notANumber: (location: string, attribute = 'config') => `${location} ${attribute} is not a number`,
  integer: (location: string, attribute = 'config') => `${location} ${attribute} must be an integer`,
  atLeast: (location: string, attribute: string, minimum: number) => `${location} ${attribute} must be greater than or equal to ${minimum}`,
  atMost: (location: string, attribute: string, maximum: number) => `${location} ${attribute} must be less than or equal to ${maximum}`,
  tooLong: (location: string, attribute: string, maximum: number) =>
    `${location} ${attribute} is too long (maximum is ${maximum} characters)`,
  duration: (location: string, attribute = 'config') => `${location} ${attribute} should be a duration`,
  durationLimit: (location: string, attribute = 'config') => `${location} ${attribute} should not exceed the limit`,
} as const;
