/** GitLab's top-level keywords that Lanyard implements. Every other non-hidden top-level key is a job. */
export const ROOT_KEYWORDS = ['stages', 'variables', 'default'] as const;

/** GitLab's top-level keywords that Lanyard rejects instead of silently ignoring (or mistaking for jobs). */
export const UNSUPPORTED_ROOT_KEYWORDS = [
  'include',
  'workflow',
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
  'types',
  'spec',
] as const;

/** Keys a job may have; anything else is `jobs:x config contains unknown keys: …`. */
export const JOB_KEYWORDS = [
  'stage',
  'script',
  'variables',
  'environment',
  'timeout',
  'id_tokens',
  'secrets',
  'jwt_claims',
  'extends',
  'inherit',
] as const;

/** Keys of `default:`; each is inherited by jobs that do not set it (replaced, never merged). */
export const DEFAULT_KEYWORDS = ['id_tokens', 'timeout', 'jwt_claims'] as const;
export type DefaultKeyword = (typeof DEFAULT_KEYWORDS)[number];

export const INHERIT_KEYWORDS = ['default', 'variables'] as const;
export const ID_TOKEN_KEYWORDS = ['aud'] as const;
export const ENVIRONMENT_KEYWORDS = ['name', 'deployment_tier', 'action'] as const;
export const SECRET_KEYWORDS = ['vault', 'token', 'file'] as const;
export const VAULT_SECRET_KEYWORDS = ['engine', 'path', 'field'] as const;
export const VAULT_ENGINE_KEYWORDS = ['name', 'path'] as const;
/** `value`/`description` for global variables; a job variable takes `value` only (GitLab adds `expand`). */
export const GLOBAL_VARIABLE_DATA_KEYWORDS = ['value', 'description'] as const;
export const JOB_VARIABLE_DATA_KEYWORDS = ['value'] as const;

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
