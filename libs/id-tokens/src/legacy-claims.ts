import { buildIdTokenClaims, checkedJti, predefinedClaims, tokenTimes } from './claims';
import type { SubClaimComponent } from './sub-claim';
import type { CustomClaims, IdTokenClaims, JobIdentity, LegacyJwtClaims } from './types';

/**
 * `CI_JOB_JWT` and `CI_JOB_JWT_V1` (GitLab's `Gitlab::Ci::Jwt`, reference §1.5): the shared claims, `iss` the host
 * name alone, `sub` = `job_<id>`, and no `aud`, so any relying party accepts it. Only jobs of projects that turned
 * `opt_in_jwt` off get one.
 */
export function buildLegacyJwtClaims(identity: JobIdentity, options: { readonly ttl: number }, now: number, jti: string): LegacyJwtClaims {
  return {
    ...predefinedClaims(identity),
    jti: checkedJti(jti),
    iss: identity.server.host,
    ...tokenTimes(now, options.ttl),
    sub: `job_${identity.job.id}`,
  };
}

export interface LegacyJwtV2Options {
  /** The external URL: both `iss` and `aud`, as GitLab's `CI_JOB_JWT_V2` (one audience for every relying party). */
  readonly issuer: string;
  readonly subComponents: readonly SubClaimComponent[];
  readonly ttl: number;
  /** The merged custom claims, as the job's ID tokens carry them; the v1 token never carries any. */
  readonly customClaims?: CustomClaims;
}

/** `CI_JOB_JWT_V2`: an ID token whose `aud` is the issuer itself, with the same custom claims as the job's ID tokens. */
export function buildLegacyJwtV2Claims(identity: JobIdentity, options: LegacyJwtV2Options, now: number, jti: string): IdTokenClaims {
  return buildIdTokenClaims(identity, { ...options, aud: options.issuer }, now, jti);
}
