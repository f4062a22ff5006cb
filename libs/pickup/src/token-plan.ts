import {
  type ClaimNameRegistry,
  type EffectiveCiSettings,
  type IdTokenClaims,
  IdTokenError,
  type JobIdentity,
  type JobProjectComponent,
  type LegacyJwtClaims,
  type MergedCustomClaim,
  type SubClaimComponent,
  assertNotOnReclaimedPath,
  buildIdTokenClaims,
  buildLegacyJwtClaims,
  buildLegacyJwtV2Claims,
  customClaimValues,
  expandAudience,
  jobClaimLevel,
  levelsOf,
  mergeCustomClaims,
  subComponentsInForce,
} from '@lanyard/id-tokens';
import type { ServerFailureReason } from '@lanyard/pipelines';
import { failureReasonOf } from './failure-reasons';
import type { JobSnapshot } from './job-snapshot';

/** One token a job will get, its claims decided but not yet signed. */
export interface PlannedToken {
  readonly variable: string;
  readonly claims: IdTokenClaims | LegacyJwtClaims;
}

/** The tokens decided, with what they were decided from (the token preview shows it). */
export interface TokenPlan {
  readonly tokens: readonly PlannedToken[];
  /** Root group → project → job, each with the level it comes from; carried by the ID tokens and CI_JOB_JWT_V2. */
  readonly customClaims: readonly MergedCustomClaim[];
  readonly subComponents: readonly SubClaimComponent[];
  /** What the job-project rule appends to them for these tokens (a fork's merge request run here), if anything. */
  readonly appendedSubComponent: JobProjectComponent | null;
  /** Who may set the custom claim names in play (the preview warns about names any project can set). */
  readonly claimNames: ClaimNameRegistry;
}

/** Why no token is minted: the job fails with `reason`; `detail` names what is wrong (never a secret). */
export interface TokenRefusal {
  readonly reason: ServerFailureReason;
  readonly detail: string;
}

export interface TokenPlanInput {
  readonly identity: JobIdentity;
  readonly settings: EffectiveCiSettings;
  /** The issuer: `iss` of every token, the legacy `CI_JOB_JWT_V2`'s `aud`. */
  readonly issuer: string;
  /** The job's variables, expanded among themselves: what `aud` expands against. */
  readonly variables: ReadonlyMap<string, string>;
  /** Values no `aud` may carry: masked variables, the job and runner tokens. */
  readonly secretValues: readonly string[];
  /** Epoch seconds of the pickup. */
  readonly now: number;
  /** How long the tokens live: the job's timeout. */
  readonly ttl: number;
  readonly newJti: () => string;
}

/**
 * A job's ID tokens (and, with `opt_in_jwt` off, the legacy `CI_JOB_JWT*`), every claim decided and every reason to
 * refuse one found, before anything is signed. A job that needs no token plans none.
 */
export function planTokens(
  snapshot: JobSnapshot,
  input: TokenPlanInput,
): { readonly plan: TokenPlan } | { readonly refusal: TokenRefusal } {
  const { identity, settings, now, ttl } = input;
  const idTokens = Object.entries(snapshot.metadata.idTokens);
  const subComponents = settings.subClaimComponents;
  const claimNames = snapshot.claimTree.names;
  if (idTokens.length === 0 && settings.optInJwt) {
    return { plan: { tokens: [], customClaims: [], subComponents, appendedSubComponent: null, claimNames } };
  }
  // Merged again from the levels and names stored now: a claim a group locked, or a name an admin gave to a group,
  // after the pipeline was created fails the job. The job's own claims are written where its code comes from.
  const codeNamespaceIds = snapshot.mergeRequest?.source?.namespace.traversalIds ?? snapshot.namespace.traversalIds;
  const levels = levelsOf(snapshot.claimTree, { kind: 'project', id: snapshot.project.id });
  const merged = mergeCustomClaims(
    [...levels, jobClaimLevel(snapshot.build.name, snapshot.metadata.jwtClaims, codeNamespaceIds)],
    claimNames,
  );
  if (!merged.ok) {
    const notOwned = merged.errors.some((error) => error.code === 'ERR_CUSTOM_CLAIM_NOT_OWNED');
    const detail = merged.errors.map((error) => error.message).join('; ');
    return { refusal: { reason: notOwned ? 'id_token_claim_not_owned' : 'id_token_claims_invalid', detail } };
  }
  const customClaims = customClaimValues(merged.claims);
  try {
    // Before any claim: a job whose tokens would name a path another project gave up gets none.
    assertNotOnReclaimedPath({
      blockJwtForReclaimedPaths: snapshot.reclaimed.blockJwtForReclaimedPaths,
      reclaimed: {
        project_path: snapshot.mergeRequest?.source?.pathReclaimed ?? snapshot.reclaimed.jobProjectPath,
        job_project_path: snapshot.reclaimed.jobProjectPath,
      },
    });
    const legacy: PlannedToken[] = settings.optInJwt
      ? []
      : [
          { variable: 'CI_JOB_JWT', claims: buildLegacyJwtClaims(identity, { ttl }, now, input.newJti()) },
          {
            variable: 'CI_JOB_JWT_V2',
            claims: buildLegacyJwtV2Claims(identity, { subComponents, ttl, customClaims, issuer: input.issuer }, now, input.newJti()),
          },
        ];
    const tokens = [
      ...legacy,
      ...idTokens.map(([name, definition]) => ({
        variable: name,
        claims: buildIdTokenClaims(
          identity,
          {
            aud: expandAudience(definition.aud, input.variables, name, input.secretValues),
            subComponents,
            issuer: input.issuer,
            ttl,
            customClaims,
          },
          now,
          input.newJti(),
        ),
      })),
    ];
    // The claims builder applies the job-project rule itself; this says what it did, for the token preview.
    const { appended } = subComponentsInForce(subComponents, identity);
    return { plan: { tokens, customClaims: merged.claims, subComponents, appendedSubComponent: appended, claimNames } };
  } catch (error) {
    if (!(error instanceof IdTokenError)) throw error;
    return { refusal: { reason: failureReasonOf(error.code), detail: error.message } };
  }
}
