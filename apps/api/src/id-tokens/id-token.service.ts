import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ClaimNameRegistry,
  CustomClaims,
  IdTokenClaims,
  IdTokenError,
  JobIdentity,
  JobProjectComponent,
  LegacyJwtClaims,
  MergedCustomClaim,
  SubClaimComponent,
  assertNotOnReclaimedPath,
  buildIdTokenClaims,
  buildLegacyJwtClaims,
  buildLegacyJwtV2Claims,
  customClaimValues,
  expandAudience,
  jobClaimLevel,
  mergeCustomClaims,
  signIdToken,
  subComponentsInForce,
} from '@lanyard/id-tokens';
import { jobIdentityOf } from '@lanyard/pickup';
import { RunnerVariable, ServerFailureReason, toRunnerVariable } from '@lanyard/pipelines';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { JobRecord } from '../builds/job-record';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { ActiveSigner, KeyStore } from './key-store';
import { SigningKeysService } from './signing-keys.service';

/** `detail` names what is wrong (never a token, key or variable value): logged, and answered by the token preview. */
type Failed = { readonly ok: false; readonly failureReason: ServerFailureReason; readonly detail: string };

/** One token a job will get, its claims decided but not yet signed. */
export interface PlannedToken {
  readonly variable: string;
  readonly claims: IdTokenClaims | LegacyJwtClaims;
}

/** The tokens signed for a job; recorded in the audit only once the job is handed to its runner. */
export interface IssuedTokens {
  readonly kid: string | null;
  readonly tokens: readonly (PlannedToken & { readonly jwt: string })[];
}

/** The tokens decided, with what they were decided from (the token preview shows it). */
export interface TokenPlan {
  readonly tokens: readonly PlannedToken[];
  /** Root group → project → job, each with the level it comes from; carried by the ID tokens and CI_JOB_JWT_V2. */
  readonly customClaims: readonly MergedCustomClaim[];
  /** As set for the job's project (or inherited). */
  readonly subComponents: readonly SubClaimComponent[];
  /** What the job-project rule appends to them for these tokens (a fork's merge request run here), if anything. */
  readonly appendedSubComponent: JobProjectComponent | null;
  /** Who may set the custom claim names in play (the preview warns about names any project can set). */
  readonly claimNames: ClaimNameRegistry;
  /** The key found active and share-locked while planning, if any: signing with it needs no lock of its own. */
  readonly lockedSignerKid: string | null;
}

export type PlanResult = ({ readonly ok: true } & TokenPlan) | Failed;
export type SignResult = { readonly ok: true; readonly issued: IssuedTokens } | Failed;

/** How long the tokens live (the job's timeout, decided at pickup) and what their `aud` expands against. */
export interface TokenPlanInput {
  readonly variables: ReadonlyMap<string, string>;
  /** Values no `aud` may carry: masked variables, the job and runner tokens. */
  readonly secretValues: readonly string[];
  readonly at: Date;
  readonly ttl: number;
}

const FAILURE_REASONS: Partial<Record<IdTokenError['code'], ServerFailureReason>> = {
  ERR_AUD_EMPTY: 'id_token_audience_empty',
  ERR_SUB_TOO_LONG: 'id_token_sub_too_long',
  ERR_SUB_COMPONENTS_EMPTY: 'id_token_sub_components_invalid',
  ERR_SUB_FIRST_COMPONENT: 'id_token_sub_components_invalid',
  ERR_SUB_JOB_PROJECT_UNSCOPED: 'id_token_sub_components_invalid',
  ERR_SUB_COMPONENT_UNKNOWN: 'id_token_sub_components_invalid',
  ERR_SUB_COMPONENT_DUPLICATE: 'id_token_sub_components_invalid',
  ERR_PATH_RECLAIMED: 'id_token_burned_project_path',
  ERR_AUD_INVALID: 'id_token_claims_invalid',
  ERR_AUD_SECRET: 'id_token_audience_secret',
  ERR_CUSTOM_CLAIM_COLLISION: 'id_token_claims_invalid',
  ERR_CUSTOM_CLAIM_INVALID: 'id_token_claims_invalid',
};

interface LegacyOptions {
  readonly subComponents: readonly SubClaimComponent[];
  readonly ttl: number;
  readonly customClaims: CustomClaims;
}

const NOTHING_ISSUED: IssuedTokens = { kid: null, tokens: [] };

/**
 * A job's ID tokens (and, with opt_in_jwt off, the legacy CI_JOB_JWT*), in three steps the pickup runs in order:
 * `plan` decides every claim (and every reason to refuse one) without a key, `sign` signs, and the pickup's write
 * (`assignJob`) audits what was delivered. A job that needs no token never touches the keys.
 */
@Injectable()
export class IdTokenService {
  private readonly logger = new Logger('IdTokens');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeyStore,
    private readonly signingKeys: SigningKeysService,
  ) {}

  /** The key whose row a pickup's claim share-locks (`JobRecordLoader.claim`): the one its tokens will be signed with. */
  signerKidToLock(): string | null {
    return this.keys.activeSigner()?.kid ?? null;
  }

  /** Decides every claim from the job's record alone: no key, no query. */
  plan(record: JobRecord, input: TokenPlanInput): PlanResult {
    const idTokens = Object.entries(record.metadata.idTokens);
    const { optInJwt, subClaimComponents: subComponents } = record.ciSettings;
    if (idTokens.length === 0 && optInJwt)
      return {
        ok: true,
        tokens: [],
        customClaims: [],
        subComponents,
        appendedSubComponent: null,
        claimNames: record.claimNames,
        lockedSignerKid: null,
      };
    // Merged again from the levels and names read at pickup: a claim a group locked, or a name an admin gave to a
    // group, after the pipeline was created fails the job. The job's own claims are written where its code comes from.
    const codeNamespaceIds = record.mergeRequest?.sourceNamespace.traversalIds ?? record.namespace.traversalIds;
    const merged = mergeCustomClaims(
      [...record.claimLevels, jobClaimLevel(record.build.name, record.metadata.jwtClaims, codeNamespaceIds)],
      record.claimNames,
    );
    if (!merged.ok) {
      const notOwned = merged.errors.some((error) => error.code === 'ERR_CUSTOM_CLAIM_NOT_OWNED');
      return this.failed(
        record,
        notOwned ? 'id_token_claim_not_owned' : 'id_token_claims_invalid',
        merged.errors.map((error) => error.message).join('; '),
      );
    }
    const customClaims = customClaimValues(merged.claims);
    const identity = jobIdentityOf(record, { serverUrl: this.config.externalUrl, ciConfigPath: CI_CONFIG_PATH });
    const reclaimedPaths = record.reclaimedPaths;
    const now = Math.floor(input.at.getTime() / 1000);
    const { ttl, variables, secretValues } = input;
    try {
      // Before any claim: a job whose tokens would name a path another project gave up gets none.
      assertNotOnReclaimedPath(reclaimedPaths);
      const tokens = [
        ...(optInJwt ? [] : this.legacyClaims(identity, { subComponents, ttl, customClaims }, now)),
        ...idTokens.map(([name, definition]) => ({
          variable: name,
          claims: buildIdTokenClaims(
            identity,
            {
              aud: expandAudience(definition.aud, variables, name, secretValues),
              subComponents,
              issuer: this.config.externalUrl,
              ttl,
              customClaims,
            },
            now,
            randomUUID(),
          ),
        })),
      ];
      // The claims builder applies the rule itself; this says what it did, for the token preview.
      const { appended } = subComponentsInForce(subComponents, identity);
      return {
        ok: true,
        tokens,
        customClaims: merged.claims,
        subComponents,
        appendedSubComponent: appended,
        claimNames: record.claimNames,
        lockedSignerKid: record.lockedSignerKid,
      };
    } catch (error) {
      return this.refused(record, error);
    }
  }

  async sign(tx: EntityManager, record: JobRecord, plan: TokenPlan): Promise<SignResult> {
    const { tokens } = plan;
    if (tokens.length === 0) return { ok: true, issued: NOTHING_ISSUED };
    const signer = await this.lockActiveSigner(tx, plan.lockedSignerKid);
    if (!signer) return this.failed(record, 'id_token_generation_failed', 'no active signing key could be loaded');
    try {
      const signed = await Promise.all(tokens.map(async (token) => ({ ...token, jwt: await signIdToken(token.claims, signer) })));
      return { ok: true, issued: { kid: signer.kid, tokens: signed } };
    } catch (error) {
      return this.refused(record, error);
    }
  }

  /** The runner variables carrying the tokens: CI_JOB_JWT also as CI_JOB_JWT_V1. */
  toVariables(issued: IssuedTokens): RunnerVariable[] {
    return issued.tokens.flatMap(({ variable, jwt }) => {
      const masked = (key: string) => toRunnerVariable({ key, value: jwt, masked: true });
      return variable === 'CI_JOB_JWT' ? [masked('CI_JOB_JWT'), masked('CI_JOB_JWT_V1')] : [masked(variable)];
    });
  }

  /** CI_JOB_JWT and CI_JOB_JWT_V1 carry one v1 token (no custom claims); CI_JOB_JWT_V2 a v2 token with aud = iss. */
  private legacyClaims(identity: JobIdentity, options: LegacyOptions, now: number): PlannedToken[] {
    const { ttl } = options;
    return [
      { variable: 'CI_JOB_JWT', claims: buildLegacyJwtClaims(identity, { ttl }, now, randomUUID()) },
      {
        variable: 'CI_JOB_JWT_V2',
        claims: buildLegacyJwtV2Claims(identity, { ...options, issuer: this.config.externalUrl }, now, randomUUID()),
      },
    ];
  }

  /**
   * The signer, with its row share-locked so a concurrent rotation cannot retire it mid-mint; when another replica
   * rotated since our last refresh, reload once and use the new active key.
   */
  private async lockActiveSigner(tx: EntityManager, lockedKid: string | null): Promise<ActiveSigner | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const signer = this.keys.activeSigner();
      // Locked while planning, in this transaction: still ours, and still the one to use.
      if (signer && signer.kid === lockedKid) return signer;
      if (signer) {
        const rows: { state: string }[] = await tx.query('SELECT state FROM ci_jwt_signing_keys WHERE kid = $1 FOR SHARE', [signer.kid]);
        if (rows[0]?.state === 'active') return signer;
      }
      try {
        await this.signingKeys.refresh(tx);
      } catch (error) {
        this.logger.error({ msg: 'signing keys could not be loaded', error: error instanceof Error ? error.message : 'unknown' });
        return null;
      }
    }
    return null;
  }

  /** A library refusal fails the job with its mapped reason; anything else is a bug and propagates. */
  private refused(record: JobRecord, error: unknown): Failed {
    if (!(error instanceof IdTokenError)) throw error;
    return this.failed(record, FAILURE_REASONS[error.code] ?? 'id_token_generation_failed', error.message);
  }

  private failed(record: JobRecord, failureReason: ServerFailureReason, detail: string): Failed {
    // A preview (no runner) fails no job: only the pickup's refusals are worth an operator's attention.
    if (record.runner) this.logger.warn({ msg: 'job failed at ID token minting', jobId: record.build.id, failureReason, detail });
    return { ok: false, failureReason, detail };
  }
}
