export { parseCiConfig } from './parse-ci-config';
export type {
  ArtifactsDefinition,
  CacheDefinition,
  CacheKeyDefinition,
  CiConfigResult,
  EnvironmentDefinition,
  IdTokenDefinition,
  ImageDefinition,
  ImageExecutorOptions,
  JobDefinition,
  JwtClaimValue,
  NeedDefinition,
  ParallelDefinition,
  ParseCiConfigOptions,
  RetryDefinition,
  SecretDefinition,
  ServiceDefinition,
  VaultSecretDefinition,
} from './types';
export {
  ALLOW_FAILURE_KEYWORDS,
  ARTIFACTS_ACCESS,
  ARTIFACTS_KEYWORDS,
  ARTIFACT_REPORT_TYPES,
  CACHE_KEYWORDS,
  CACHE_KEY_KEYWORDS,
  COVERAGE_FORMATS,
  COVERAGE_REPORT_KEYWORDS,
  DOCKER_OPTION_KEYWORDS,
  IMAGE_KEYWORDS,
  KUBERNETES_OPTION_KEYWORDS,
  NEED_KEYWORDS,
  PARALLEL_KEYWORDS,
  PULL_POLICIES,
  RETRY_KEYWORDS,
  RETRY_WHEN_VALUES,
  SERVICE_KEYWORDS,
} from './execution-keywords';
export type { ArtifactReportType, ArtifactsAccess, CoverageFormat, PullPolicy } from './execution-keywords';
export {
  ARTIFACTS_WHEN_VALUES,
  DEFAULT_JOB_STAGE,
  DEFAULT_KEYWORDS,
  DEFAULT_STAGES,
  DEFAULT_VAULT_ENGINE,
  DEPLOYMENT_TIERS,
  EDGE_STAGES,
  ENVIRONMENT_ACTIONS,
  ENVIRONMENT_KEYWORDS,
  GLOBAL_VARIABLE_DATA_KEYWORDS,
  ID_TOKEN_KEYWORDS,
  INHERIT_KEYWORDS,
  JOB_KEYWORDS,
  JOB_VARIABLE_DATA_KEYWORDS,
  JOB_WHEN_VALUES,
  KEYWORDS_IN_PROGRESS,
  LEGACY_DEFAULT_KEYWORDS,
  LEGACY_JWT_VARIABLES,
  ROOT_KEYWORDS,
  SECRET_KEYWORDS,
  UNSUPPORTED_ROOT_KEYWORDS,
  VAULT_ENGINE_KEYWORDS,
  VAULT_SECRET_KEYWORDS,
} from './keywords';
export type { ArtifactsWhen, DefaultKeyword, DeploymentTier, EnvironmentAction, JobWhen } from './keywords';
export { CI_CONFIG_LIMITS } from './limits';
export { ciConfigMessages } from './messages';
export { validatorMessages } from './validator-messages';
export { CLAIM_NAME_PATTERN, RESERVED_CLAIM_NAMES, checkClaimName, isReservedClaimName, isUriClaimName } from './reserved-claims';
export type { ClaimNameProblem } from './reserved-claims';
export { CLAIM_VALUE_MESSAGES, checkClaimValue } from './jwt-claims-entry';
export type { ClaimValueProblem } from './jwt-claims-entry';
export { hasControlOrBidiCharacters, isValidJobVariableName, utf8ByteLength } from './text-rules';
export { parseDuration } from './duration';
export {
  ENVIRONMENT_NAME_MAX_LENGTH,
  ENVIRONMENT_NAME_MESSAGE,
  ENVIRONMENT_NAME_PATTERN,
  isValidEnvironmentName,
} from './environment-name';
