import type { AccessLevel, ResourceVisibility } from '@lanyard/access';
import type { DeploymentTier, EnvironmentAction } from '@lanyard/ci-config';

/** A project as its claims name it. */
export interface ProjectIdentity {
  readonly id: number;
  readonly fullPath: string;
  readonly namespaceId: number;
  readonly namespaceFullPath: string;
}

export interface JobUser {
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  /**
   * The user's effective level on `sourceProject`, as GitLab computes it (`source_project.team.human_max_access`);
   * null or NoAccess when not a member.
   */
  readonly accessLevel: AccessLevel | null;
  /**
   * Full paths of the groups the user is a direct member of, in any order. Load at most
   * `GROUPS_DIRECT_LIMIT + 1` (GitLab orders by id): one more than the limit is enough to drop the claim.
   */
  readonly directGroupPaths: readonly string[];
}

export type RefType = 'branch' | 'tag';

export interface JobPipeline {
  readonly id: number;
  /** `push`, `web`, `api`, `merge_request_event`, … */
  readonly source: string;
  /** The branch or tag name; for a merge-request pipeline, the source branch. */
  readonly ref: string;
  readonly refType: RefType;
  /** Whether the job runs for a protected ref (false for every fork merge-request pipeline). */
  readonly refProtected: boolean;
  readonly sha: string;
  /** Where the CI configuration was read: `ci_config_ref_uri` and `ci_config_sha`. */
  readonly ciConfig: { readonly path: string; readonly sha: string };
}

export interface JobEnvironment {
  readonly name: string;
  readonly protected: boolean;
  /** The environment's own tier. */
  readonly tier: DeploymentTier;
  /** The job's `environment:deployment_tier`; wins over `tier` when set. */
  readonly deploymentTier?: DeploymentTier | null;
  /** The job's `environment:action`; `start` when absent. */
  readonly action?: EnvironmentAction | null;
}

export interface JobRunner {
  readonly id: number;
  readonly gitlabHosted: boolean;
}

/** The server's names as GitLab derives them from its URL; see `serverNamesFromUrl`. */
export interface ServerNames {
  /** Host name only (`Settings.gitlab.host`): the legacy token's `iss`. */
  readonly host: string;
  /** Host, `:port` unless 80/443, and relative root (`Settings.build_server_fqdn`): starts `ci_config_ref_uri`. */
  readonly fqdn: string;
}

/** Everything the claims of one job say, as plain data read when a runner takes the job. */
export interface JobIdentity {
  /** Where the code comes from: the fork in a fork merge-request pipeline, else the job's project (gitlab#548165). */
  readonly sourceProject: ProjectIdentity;
  /** Where the pipeline runs; equals `sourceProject` except in fork merge-request pipelines. */
  readonly jobProject: ProjectIdentity;
  /** Of the job's project. */
  readonly projectVisibility: ResourceVisibility;
  readonly user: JobUser | null;
  readonly pipeline: JobPipeline;
  readonly job: { readonly id: number; readonly environment: JobEnvironment | null };
  /** The runner that took the job; null only when claims are previewed before pickup. */
  readonly runner: JobRunner | null;
  readonly server: ServerNames;
}

export type TrueOrFalse = 'true' | 'false';

/** The claims the legacy and the ID tokens share (GitLab's `Jwt#predefined_claims`), in GitLab's key order. */
export interface PredefinedClaims {
  readonly namespace_id: string;
  readonly namespace_path: string;
  readonly project_id: string;
  readonly project_path: string;
  readonly user_id: string;
  readonly user_login: string | null;
  readonly user_email: string | null;
  readonly user_access_level: string | null;
  readonly job_namespace_id: string;
  readonly job_namespace_path: string;
  readonly job_project_id: string;
  readonly job_project_path: string;
  readonly pipeline_id: string;
  readonly pipeline_source: string;
  readonly job_id: string;
  readonly ref: string;
  readonly ref_type: RefType;
  readonly ref_path: string;
  readonly ref_protected: TrueOrFalse;
  readonly groups_direct?: readonly string[];
  readonly environment?: string;
  readonly environment_protected?: TrueOrFalse;
  readonly deployment_tier?: DeploymentTier;
  readonly environment_action?: EnvironmentAction;
}

/** What a relying party reads in an ID token (GitLab's `JwtV2` payload), plus the merged custom claims last. */
export interface IdTokenClaims extends PredefinedClaims {
  readonly runner_id?: number;
  readonly runner_environment?: 'gitlab-hosted' | 'self-hosted';
  readonly sha: string;
  readonly project_visibility: ResourceVisibility;
  readonly ci_config_ref_uri: string;
  readonly ci_config_sha: string;
  readonly jti: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly sub: string;
  readonly aud: string | string[];
  readonly [customClaim: string]: unknown;
}

/** `CI_JOB_JWT` / `CI_JOB_JWT_V1`: GitLab's v1 token, without `aud`. */
export interface LegacyJwtClaims extends PredefinedClaims {
  readonly jti: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly sub: string;
}

/** A URI-named claim may hold a JSON object (e.g. `https://aws.amazon.com/tags`); short names hold strings. */
export type CustomClaimValue = string | readonly string[] | { readonly [key: string]: unknown };

/** The custom claims after group → project → job merging, in the order they are to appear. */
export type CustomClaims = Readonly<Record<string, CustomClaimValue>>;
