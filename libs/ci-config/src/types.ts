import type { DeploymentTier, EnvironmentAction } from './keywords';

export interface ParseCiConfigOptions {
  /** The project's `opt_in_jwt`: when on, no `CI_JOB_JWT*` exists, so a Vault secret needs an ID token. */
  readonly optInJwt: boolean;
}

export interface EnvironmentDefinition {
  readonly name: string;
  /** Absent unless the job sets `deployment_tier` (the environment's own tier applies then). */
  readonly deploymentTier?: DeploymentTier;
  readonly action: EnvironmentAction;
}

export interface IdTokenDefinition {
  /** As written: a string stays a string, an array an array; `$VAR`s are expanded when the token is minted. */
  readonly aud: string | readonly string[];
}

export interface VaultSecretDefinition {
  readonly engine: { readonly name: string; readonly path: string };
  readonly path: string;
  readonly field: string;
}

export interface SecretDefinition {
  readonly vault: VaultSecretDefinition;
  /**
   * The variable holding the JWT Vault authenticates with, without `$`: the ID token named by `token:`, else the job's
   * first ID token; null only when `opt_in_jwt` is off and the job has no ID token (the legacy `CI_JOB_JWT`).
   */
  readonly token: string | null;
  /** GitLab: a secret is a file variable unless `file: false`. */
  readonly file: boolean;
}

export type JwtClaimValue = string | readonly string[];

export interface JobDefinition {
  readonly name: string;
  readonly stage: string;
  readonly script: readonly string[];
  /** Effective variables: the global ones the job inherits, overridden by its own. */
  readonly variables: Readonly<Record<string, string>>;
  readonly environment: EnvironmentDefinition | null;
  /** The job's `timeout:` (or `default:`'s); null means the project's `build_timeout`. */
  readonly timeoutSeconds: number | null;
  /** In the order written: the first one is Vault's default. */
  readonly idTokens: Readonly<Record<string, IdTokenDefinition>>;
  readonly secrets: Readonly<Record<string, SecretDefinition>>;
  readonly jwtClaims: Readonly<Record<string, JwtClaimValue>> | null;
}

export interface CiConfigResult {
  readonly valid: boolean;
  readonly errors: string[];
  readonly warnings: string[];
  /** The pipeline's stages, `.pre` first and `.post` last; empty when the config is invalid. */
  readonly stages: string[];
  /** In the order written; empty when the config is invalid. */
  readonly jobs: JobDefinition[];
  /** The config after `extends` and `default:` are applied, hidden jobs removed; null when it could not be built. */
  readonly mergedYaml: string | null;
}
