import { DEPLOYMENT_TIERS } from './keywords';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';

const list = (items: readonly string[]): string => items.join(', ');

/**
 * Every lint message, GitLab's wording where GitLab has one (`location` is GitLab's prefix, e.g. `jobs:deploy` or
 * `jobs:deploy:id_tokens:AWS_TOKEN`). Exported so the API layer words its own checks the same way.
 */
export const ciConfigMessages = {
  // Loading (GitLab: `Gitlab::Config::Loader::Yaml`, `YamlProcessor.validation_message`).
  blankContent: () => 'Please provide content of .gitlab-ci.yml',
  configTooLarge: () => 'config is too large (max 1 MB)',
  nestingTooDeep: () => `config is nested too deeply (max ${LIMITS.maxNestingDepth} levels)`,
  tooManyAnchors: () => `config uses too many YAML anchors and aliases (max ${LIMITS.maxAnchorsAndAliases})`,
  aliasBomb: () => `config uses too many YAML alias expansions (max ${LIMITS.maxAliasCount} per anchor)`,
  tooManyNodes: () => `config is too large once aliases and extends are expanded (max ${LIMITS.maxNodes} values)`,
  invalidFormat: (detail?: string) => (detail ? `Invalid configuration format: ${detail}` : 'Invalid configuration format'),
  duplicateKey: (key: string, line: number, column: number) =>
    `Invalid configuration format: duplicate key ${key} at line ${line}, column ${column}`,
  unstorableCharacter: () => 'Invalid configuration format: a string contains a NUL character or an unpaired surrogate',
  internalError: () => 'config could not be processed',
  specHeaderUnsupported: () => 'spec:inputs is not supported by Lanyard: remove the `spec:` header document and its `---`',

  // Shared shapes (GitLab's validators).
  unsupportedRootKeys: (keys: readonly string[]) => `root config contains unsupported keys: ${list(keys)}`,
  unknownKeys: (location: string, keys: readonly string[]) => `${location} config contains unknown keys: ${list(keys)}`,
  missingKeys: (location: string, keys: readonly string[]) => `${location} config missing required keys: ${list(keys)}`,
  shouldBeHash: (location: string) => `${location} config should be a hash`,
  shouldBeString: (location: string, attribute: string) => `${location} ${attribute} should be a string`,
  attributeShouldBeHash: (location: string, attribute: string) => `${location} ${attribute} should be a hash`,
  blank: (location: string, attribute: string) => `${location} ${attribute} can't be blank`,

  stagesInvalid: () =>
    `stages config should be an array of strings or a nested array of strings up to ${LIMITS.maxScriptNesting} levels deep`,
  stageNameTooLong: () => `stages config contains a stage name that is too long (maximum is ${LIMITS.maxStageNameLength} characters)`,

  variableDefinition: (location: string) => `${location} variable definition must be either a string or a hash`,
  variableDataKeys: (location: string, keys: readonly string[]) => `${location} config uses invalid data keys: ${list(keys)}`,
  variableValue: (location: string) => `${location} config value must be an alphanumeric string`,
  variableDescription: (location: string) => `${location} config description must be an alphanumeric string`,

  definedTwice: (key: string) => `${key} is defined in top-level and \`default:\` entry`,
  noVisibleJobs: () => 'jobs config should contain at least one visible job',
  jobWithoutScript: (job: string) => `jobs ${job} config should implement the script:, run:, or trigger: keyword`,
  jobNameTooLong: (job: string) => `jobs:${job} name is too long (maximum is ${LIMITS.maxJobNameLength} characters)`,
  scriptBlank: (job: string) => `jobs:${job} script can't be blank`,
  stageNotString: (job: string) => `jobs:${job}:stage config should be a string`,
  dependencyUndefined: (job: string, dependency: string) => `${job} job: undefined dependency: ${dependency}`,
  dependencyLater: (job: string, dependency: string) => `${job} job: dependency ${dependency} is not defined in current or prior stages`,
  needUndefined: (job: string, need: string) => `${job} job: undefined need: ${need}`,
  needLater: (job: string, need: string) => `${job} job: need ${need} is not defined in current or prior stages`,
  needsDuplicated: (job: string, needs: readonly string[]) => `${job} has the following needs duplicated: ${list(needs)}.`,
  tooManyNeeds: (job: string, maximum: number, count: number) =>
    `${job}: one job can only need ${maximum} others, but you have listed ${count}. See needs keyword documentation for more details`,
  circularNeeds: (detail: string) => `The pipeline has circular dependencies: ${detail}`,
  stageUnknown: (job: string, stage: string, stages: readonly string[]) =>
    `${job} job: chosen stage ${stage} does not exist; available stages are ${list(stages)}`,

  extendsInvalid: (job: string) => `jobs:${job} extends should be an array of strings or a string`,
  extendsUnknown: (key: string, bases: readonly string[]) => `${key}: unknown keys in \`extends\` (${list(bases)})`,
  extendsInvalidBase: (key: string, bases: readonly string[]) => `${key}: invalid base hashes in \`extends\` (${list(bases)})`,
  extendsTooDeep: (key: string) => `${key}: nesting too deep in \`extends\``,
  extendsCircular: (key: string) => `${key}: circular dependency detected in \`extends\``,

  // `!reference` (GitLab: `Config::Yaml::Tags`; `path` is Ruby's `inspect` of what was written, e.g. `[".a", "b"]`).
  referenceInvalid: (written: string) => `!reference ${written} is not valid`,
  referenceNotFound: (path: string) => `!reference ${path} could not be found`,
  referenceCircular: (path: string) => `!reference ${path} is part of a circular chain`,
  referenceTooDeep: (path: string) => `!reference ${path} is nested too deeply (maximum is ${LIMITS.maxReferenceNesting} references)`,

  inheritInvalid: (location: string) => `${location} should be a bool or array of strings`,
  inheritNotStrings: (location: string) => `${location} config should be an array of strings`,
  inheritUnknownValues: (location: string, values: readonly string[]) => `${location} config contains unknown values: ${list(values)}`,

  environmentInvalid: (location: string) => `${location} config should be a hash or a string`,
  environmentNameFormat: (location: string) =>
    `${location} name can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, ` +
    `but it cannot start or end with '/'`,
  environmentUrlType: (location: string) => `${location} url should be a string`,
  environmentUrlTooLong: (location: string) => `${location} url is too long (maximum is 255 characters)`,
  environmentNameTooLong: (location: string) => `${location} name is too long (maximum is ${LIMITS.maxEnvironmentNameLength} characters)`,
  environmentAction: (location: string) => `${location} action should be start, stop, prepare, verify, or access`,
  deploymentTier: (location: string) => `${location} deployment tier must be one of ${list(DEPLOYMENT_TIERS)}`,

  executorOptionInvalid: (location: string, pointer: string, rule: string) =>
    rule === 'string' || rule === 'object'
      ? `${location} executor opts property '${pointer}' is not of type: ${rule}`
      : `${location} executor opts property '${pointer}' is invalid: error_type=${rule}`,

  exposeAsWildcard: (location: string) => `${location} paths can't contain '*' when used with 'expose_as'`,
  exposeAsFormat: (location: string) => `${location} expose as can contain only letters, digits, '-', '_' and spaces`,
  coverageFormat: (location: string) => `${location} coverage format must be one of supported formats: cobertura, jacoco.`,

  cachesInvalid: (location: string) => `${location} config can only be a hash or an array`,
  tooManyCaches: (location: string) => `${location} config no more than 4 caches can be created`,
  cachePolicy: (location: string) => `${location} policy should be a variable or one of: pull-push, push, pull`,
  // GitLab's typo ("to many") is kept: clients match the text.
  tooManyFallbackKeys: (location: string, maximum: number) => `${location} fallback keys has to many entries (maximum ${maximum})`,
  cacheKeyInvalid: (location: string) => `${location} should be a hash, a string or a symbol`,
  cacheKeyText: (location: string) => `${location} config should be a string or symbol`,
  cacheKeySlash: (location: string) => `${location} config cannot contain the "/" character`,
  cacheKeyDots: (location: string) => `${location} config cannot be "." or ".."`,
  keyFilesTooFew: (location: string) => `${location} config requires at least 1 item`,
  keyFilesTooMany: (location: string, maximum: number) => `${location} config has too many items (maximum is ${maximum})`,

  allowFailureInvalid: (location: string) => `${location} allow failure should be a hash or a boolean value`,
  retryInvalid: () => 'retry config has to be either an integer or a hash',
  tooManyTags: (location: string) => `${location} config must be less than the limit of 50 tags`,
  coverageInvalid: (location: string) => `${location} config must be a regular expression with re2 syntax`,

  needsInvalid: (location: string) => `${location} config can only be a hash or an array`,
  needsEmptyHash: (location: string) => `${location} config can not be an empty hash`,
  needUnsupported: (location: string) => `${location} has an unsupported type`,
  dependenciesNotNeeded: (location: string, missing: readonly string[]) =>
    `${location} dependencies the ${list(missing)} should be part of needs`,
  parallelInvalid: (location: string) => `${location} should be an integer or a hash`,
  matrixNotHashes: (location: string) => `${location} config should be an array of hashes`,
  matrixVariables: (location: string) => `${location} config should be a hash of key value pairs, value can be an array`,
  // GitLab's wording, verbatim ("1 items").
  matrixVariablesEmpty: (location: string) => `${location} config requires at least 1 items`,
  matrixTooManyJobs: (location: string, maximum: number) => `${location} config generates too many jobs (maximum is ${maximum})`,

  durationInvalid: (location: string) => `${location} config should be a duration`,
  durationLimit: (location: string) => `${location} config should not exceed the limit`,

  tooManyIdTokens: (location: string) => `${location} config contains too many id tokens (maximum is ${LIMITS.maxIdTokensPerJob})`,
  invalidVariableName: (location: string) => `${location} invalid or reserved variable name`,
  idTokenMissingAud: (location: string) => `${location} id token config missing required keys: aud`,
  idTokenUnknownKeys: (location: string, keys: readonly string[]) => `${location} id token config contains unknown keys: ${list(keys)}`,
  idTokenAudType: (location: string) => `${location} id token aud should be an array of strings or a string`,
  idTokenAudEmpty: (location: string) => `${location} id token aud must not be empty`,
  idTokenAudTooLong: (location: string) => `${location} id token aud is too long (maximum is ${LIMITS.maxAudLength} characters)`,
  idTokenAudTooMany: (location: string) => `${location} id token aud has too many entries (maximum is ${LIMITS.maxAudEntries})`,
  idTokenAudControl: (location: string) => `${location} id token aud contains control or bidi characters`,

  secretTokenFormat: (location: string) => `${location} token should reference an id token, like $ID_TOKEN`,
  secretTokenUndefined: (location: string, name: string) => `${location} token refers to undefined id token ${name}`,
  secretNeedsIdToken: (location: string) =>
    `${location} needs an id token to authenticate with Vault: define id_tokens in the job or in default`,
  booleanValue: (location: string) => `${location} config should be a boolean value`,
  vaultInvalid: (location: string) => `${location} should be a hash or a string`,
  secretUsesLegacyJwt: (location: string) => `${location} authenticates with the deprecated CI_JOB_JWT; define id_tokens instead`,
  secretUsesFirstIdToken: (location: string, name: string) =>
    `${location} has no token: and the job has several id tokens; the first, ${name}, is used`,

  claimsInvalid: (location: string) => `${location} config should be a hash or an array of single-key hashes`,
  claimsTooMany: (location: string) => `${location} config contains too many claims (maximum is ${LIMITS.maxClaimsPerJob})`,
  claimDuplicate: (location: string, name: string) => `${location} duplicate claim name: ${name}`,
  claimReserved: (location: string, name: string) => `${location} reserved claim name: ${name}`,
  claimInvalidName: (location: string, name: string) =>
    `${location} invalid claim name: ${name} (use ^[a-z][a-z0-9_]{0,63}$ or an absolute https:// URI)`,
  claimNotString: (location: string) => `${location} claim values must be strings (quote them)`,
  claimNotStringOrArray: (location: string) => `${location} claim value must be a string or an array of strings`,
  claimControl: (location: string) => `${location} claim value contains control or bidi characters`,
  claimTooLong: (location: string) => `${location} claim value is too long (maximum is ${LIMITS.maxClaimValueLength} characters)`,
  claimTooManyEntries: (location: string) => `${location} claim value has too many entries (maximum is ${LIMITS.maxClaimValueEntries})`,
} as const;
