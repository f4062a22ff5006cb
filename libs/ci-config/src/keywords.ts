/**
 * GitLab keywords another change is building (`rules`, `only`, `except`, `workflow`): refused wherever GitLab allows
 * them, with the messages they had, until each lands and leaves this list. (`include:` is resolved by
 * `resolveIncludes`; `parseCiConfig`, which has no repository to read, still refuses it.)
 */
export const KEYWORDS_IN_PROGRESS = ['workflow', 'rules', 'only', 'except'] as const;

/**
 * GitLab 18's top-level keywords (`Entry::Root::ALLOWED_KEYS`); every other non-hidden top-level key is a job. The
 * legacy `image`, `services`, `before_script`, `after_script` and `cache` act as `default:`'s.
 */
export const ROOT_KEYWORDS = [
  'default',
  'include',
  'before_script',
  'image',
  'services',
  'after_script',
  'variables',
  'stages',
  'cache',
  'workflow',
] as const;

/** Top-level keys GitLab 18 no longer or not yet reads here (`types`) or Lanyard does not build (`spec`). */
export const UNSUPPORTED_ROOT_KEYWORDS = ['types', 'spec'] as const;

/** The top-level keys that stand for `default:` keys. */
export const LEGACY_DEFAULT_KEYWORDS = ['image', 'services', 'before_script', 'after_script', 'cache'] as const;

/**
 * Keys a job may have (GitLab 18's `Entry::Job` and `Processable` keys Lanyard builds, and `jwt_claims`); anything
 * else, or one of `KEYWORDS_IN_PROGRESS`, is `jobs:x config contains unknown keys: …`. Not built, so refused:
 * `trigger`, `hooks`, `release`, `pages`, `publish`, `manual_confirmation`, `run`, `identity`, `inputs`.
 */
export const JOB_KEYWORDS = [
  'stage',
  'script',
  'before_script',
  'after_script',
  'variables',
  'environment',
  'timeout',
  'id_tokens',
  'secrets',
  'jwt_claims',
  'extends',
  'inherit',
  'image',
  'services',
  'artifacts',
  'cache',
  'tags',
  'when',
  'start_in',
  'allow_failure',
  'retry',
  'interruptible',
  'needs',
  'dependencies',
  'coverage',
  'resource_group',
  'parallel',
  'rules',
  'only',
  'except',
] as const;

/**
 * Keys of `default:` (GitLab 18's `Entry::Default`, less `hooks`, plus `jwt_claims`); each is inherited by jobs that
 * do not set it (replaced, never merged).
 */
export const DEFAULT_KEYWORDS = [
  'before_script',
  'after_script',
  'cache',
  'image',
  'services',
  'interruptible',
  'timeout',
  'retry',
  'tags',
  'artifacts',
  'id_tokens',
  'jwt_claims',
] as const;
export type DefaultKeyword = (typeof DEFAULT_KEYWORDS)[number];

export const INHERIT_KEYWORDS = ['default', 'variables'] as const;
export const ID_TOKEN_KEYWORDS = ['aud'] as const;
export const ENVIRONMENT_KEYWORDS = ['name', 'url', 'deployment_tier', 'action'] as const;
export const SECRET_KEYWORDS = ['vault', 'token', 'file'] as const;
export const VAULT_SECRET_KEYWORDS = ['engine', 'path', 'field'] as const;
export const VAULT_ENGINE_KEYWORDS = ['name', 'path'] as const;
/** `value`/`description` for global variables; a job variable takes `value` only (GitLab adds `expand`). */
export const GLOBAL_VARIABLE_DATA_KEYWORDS = ['value', 'description'] as const;
export const JOB_VARIABLE_DATA_KEYWORDS = ['value'] as const;

/** GitLab: `Entry::Job::ALLOWED_WHEN`; `never` exists only in `rules`. */
export const JOB_WHEN_VALUES = ['on_success', 'on_failure', 'always', 'manual', 'delayed'] as const;
export type JobWhen = (typeof JOB_WHEN_VALUES)[number];

/** GitLab: `when` of `artifacts:` and of `cache:`. */
export const ARTIFACTS_WHEN_VALUES = ['on_success', 'on_failure', 'always'] as const;
export type ArtifactsWhen = (typeof ARTIFACTS_WHEN_VALUES)[number];

/** GitLab: `EdgeStagesInjector` wraps `build, test, deploy`. */
export const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'] as const;
export const EDGE_STAGES = ['.pre', '.post'] as const;
/** GitLab: `Entry::Stage.default`. */
export const DEFAULT_JOB_STAGE = 'test';

export const DEPLOYMENT_TIERS = ['production', 'staging', 'testing', 'development', 'other'] as const;
export type DeploymentTier = (typeof DEPLOYMENT_TIERS)[number];

export const ENVIRONMENT_ACTIONS = ['start', 'stop', 'prepare', 'verify', 'access'] as const;
export type EnvironmentAction = (typeof ENVIRONMENT_ACTIONS)[number];

/** Variables a job has while `opt_in_jwt` is off; a secret's `token:` may name them then. */
export const LEGACY_JWT_VARIABLES = ['CI_JOB_JWT', 'CI_JOB_JWT_V1', 'CI_JOB_JWT_V2'] as const;

/** GitLab: the short Vault form `path/to/secret/field@engine-path` defaults the engine to this. */
export const DEFAULT_VAULT_ENGINE = 'kv-v2';
