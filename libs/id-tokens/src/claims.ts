import { roleName } from '@lanyard/access';
import { CI_CONFIG_LIMITS } from '@lanyard/ci-config';
import { appendCustomClaims } from './custom-claims';
import { IdTokenError } from './errors';
import { subComponentsInForce } from './job-project-sub';
import { composeSubClaim, type SubClaimComponent } from './sub-claim';
import type { CustomClaims, IdTokenClaims, JobIdentity, PredefinedClaims, TrueOrFalse } from './types';

/** GitLab's `User::FIRST_GROUP_PATHS_LIMIT`: with more direct groups than this, `groups_direct` is left out. */
export const GROUPS_DIRECT_LIMIT = 200;
/** GitLab's `Jwt::NOT_BEFORE_TIME`: `nbf` is backdated for verifiers whose clocks run behind. */
export const NOT_BEFORE_SECONDS = 5;

export interface IdTokenOptions {
  /** After `expandAudience`: a string stays a string, an array stays an array. */
  readonly aud: string | readonly string[];
  /** As set for the job's project; `subComponentsInForce` may append a job-project component. */
  readonly subComponents: readonly SubClaimComponent[];
  /** `iss`, byte for byte as discovery's `issuer` (a trailing slash is kept). */
  readonly issuer: string;
  /** Lifetime in seconds: the job's effective timeout (job `timeout:`, else the project's `build_timeout`). */
  readonly ttl: number;
  /** The merged group → project → job custom claims; they come after every built-in claim. */
  readonly customClaims?: CustomClaims;
}

/**
 * An ID token's claims, as GitLab's `JwtV2` builds them for `id_tokens` (reference §1.2): ids as strings except
 * `runner_id`, booleans as `"true"`/`"false"`, unknown user fields null, and the environment, runner and
 * `groups_direct` claims only when there is something to say. Pure: the clock (`now`, seconds) and `jti` come in.
 */
export function buildIdTokenClaims(identity: JobIdentity, options: IdTokenOptions, now: number, jti: string): IdTokenClaims {
  const { pipeline, runner } = identity;
  // One object filled in claim order (the order the token's JSON keeps), rather than spread into a new one at each
  // step: the pickup builds two of these per job.
  const claims: Mutable<IdTokenClaims> = predefinedClaims(identity) as Mutable<IdTokenClaims>;
  if (runner) {
    claims.runner_id = runner.id;
    claims.runner_environment = runner.gitlabHosted ? 'gitlab-hosted' : 'self-hosted';
  }
  claims.sha = pipeline.sha;
  claims.project_visibility = identity.projectVisibility;
  claims.ci_config_ref_uri = `${identity.server.fqdn}/${identity.jobProject.fullPath}//${pipeline.ciConfig.path}@${refPath(identity)}`;
  claims.ci_config_sha = pipeline.ciConfig.sha;
  // Checked in this order, as before; `sub` is composed from the claims above only.
  const checked = checkedJti(jti);
  const times = tokenTimes(now, options.ttl);
  // Applied here, where every token with a composed sub (ID tokens, CI_JOB_JWT_V2) is built, so none can skip it.
  const sub = composeSubClaim(subComponentsInForce(options.subComponents, identity).components, claims);
  const aud = checkedAudience(options.aud);
  claims.jti = checked;
  claims.iss = options.issuer;
  claims.iat = times.iat;
  claims.nbf = times.nbf;
  claims.exp = times.exp;
  claims.sub = sub;
  claims.aud = aud;
  return appendCustomClaims(claims as IdTokenClaims, options.customClaims);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** GitLab's `Jwt#predefined_claims`: project, user, job project and CI claims, shared by every token kind. */
export function predefinedClaims(identity: JobIdentity): PredefinedClaims {
  const { sourceProject, jobProject, user, pipeline, job } = identity;
  const environment = job.environment;
  const groupsDirect = user && user.directGroupPaths.length <= GROUPS_DIRECT_LIMIT ? [...user.directGroupPaths].sort() : null;
  return {
    namespace_id: String(sourceProject.namespaceId),
    namespace_path: sourceProject.namespaceFullPath,
    project_id: String(sourceProject.id),
    project_path: sourceProject.fullPath,
    user_id: user ? String(user.id) : '',
    user_login: user?.username ?? null,
    user_email: user?.email ?? null,
    user_access_level: user?.accessLevel == null ? null : roleName(user.accessLevel),
    job_namespace_id: String(jobProject.namespaceId),
    job_namespace_path: jobProject.namespaceFullPath,
    job_project_id: String(jobProject.id),
    job_project_path: jobProject.fullPath,
    pipeline_id: String(pipeline.id),
    pipeline_source: pipeline.source,
    job_id: String(job.id),
    ref: pipeline.ref,
    ref_type: pipeline.refType,
    ref_path: refPath(identity),
    ref_protected: trueOrFalse(pipeline.refProtected),
    ...(groupsDirect && { groups_direct: groupsDirect }),
    ...(environment && {
      environment: environment.name,
      environment_protected: trueOrFalse(environment.protected),
      deployment_tier: environment.deploymentTier ?? environment.tier,
      environment_action: environment.action ?? 'start',
    }),
  };
}

function refPath({ pipeline }: JobIdentity): string {
  return `${pipeline.refType === 'tag' ? 'refs/tags/' : 'refs/heads/'}${pipeline.ref}`;
}

function trueOrFalse(value: boolean): TrueOrFalse {
  return value ? 'true' : 'false';
}

/** `iat` = now, `nbf` = now − 5, `exp` = now + ttl: whole seconds, a job timeout bounded as the YAML's is. */
export function tokenTimes(now: number, ttl: number): { iat: number; nbf: number; exp: number } {
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new IdTokenError('ERR_TIME_INVALID', 'iat', `iat must be a whole number of seconds since the epoch, got ${now}`);
  }
  if (!Number.isSafeInteger(ttl) || ttl <= 0 || ttl >= CI_CONFIG_LIMITS.timeoutLimitSeconds) {
    throw new IdTokenError(
      'ERR_TIME_INVALID',
      'exp',
      `the token lifetime (the job timeout) must be a whole number of seconds from 1 to ${CI_CONFIG_LIMITS.timeoutLimitSeconds - 1}, got ${ttl}`,
    );
  }
  return { iat: now, nbf: now - NOT_BEFORE_SECONDS, exp: now + ttl };
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Each token has its own random `jti` (UUID v4), which the issuance log is keyed by. */
export function checkedJti(jti: string): string {
  if (!UUID_V4.test(jti)) throw new IdTokenError('ERR_JTI_INVALID', 'jti', 'jti must be a lower-case UUID v4 (crypto.randomUUID())');
  return jti;
}

/** RFC 8725 §3.9: an ID token always names its audience; a blank one would be accepted by a careless verifier. */
function checkedAudience(aud: string | readonly string[]): string | string[] {
  const entries = typeof aud === 'string' ? [aud] : aud;
  if (entries.length === 0 || entries.some((entry) => entry === '')) {
    throw new IdTokenError('ERR_AUD_EMPTY', 'aud', 'aud must name at least one audience and none may be empty');
  }
  return typeof aud === 'string' ? aud : [...aud];
}
