import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  IdTokenClaims,
  IdTokenError,
  JobIdentity,
  LegacyJwtClaims,
  SubClaimComponent,
  buildIdTokenClaims,
  buildLegacyJwtClaims,
  buildLegacyJwtV2Claims,
  expandAudience,
  signIdToken,
} from '@lanyard/id-tokens';
import { RunnerVariable, ServerFailureReason, toRunnerVariable } from '@lanyard/pipelines';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { JobRecord } from '../builds/job-record';
import { CiSettingsService } from '../ci-settings/ci-settings.service';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobIdentityLoader } from './job-identity';
import { ActiveSigner, KeyStore } from './key-store';
import { SigningKeysService } from './signing-keys.service';

export type MintResult = { readonly ok: true; readonly variables: RunnerVariable[] } | { readonly ok: false; readonly failureReason: ServerFailureReason };

interface MintedToken {
  readonly variable: string;
  readonly jwt: string;
  readonly claims: IdTokenClaims | LegacyJwtClaims;
}

const FAILURE_REASONS: Partial<Record<IdTokenError['code'], ServerFailureReason>> = {
  ERR_AUD_EMPTY: 'id_token_audience_empty',
  ERR_SUB_TOO_LONG: 'id_token_sub_too_long',
  ERR_SUB_COMPONENTS_EMPTY: 'id_token_sub_components_invalid',
  ERR_SUB_FIRST_COMPONENT: 'id_token_sub_components_invalid',
  ERR_SUB_COMPONENT_UNKNOWN: 'id_token_sub_components_invalid',
  ERR_SUB_COMPONENT_DUPLICATE: 'id_token_sub_components_invalid',
  ERR_AUD_INVALID: 'id_token_claims_invalid',
  ERR_CUSTOM_CLAIM_COLLISION: 'id_token_claims_invalid',
  ERR_CUSTOM_CLAIM_INVALID: 'id_token_claims_invalid',
};

/**
 * Mints a job's ID tokens (and, with opt_in_jwt off, the legacy CI_JOB_JWT*) inside the transaction that hands the
 * job to its runner, and records each issuance. A job that needs no token never touches the keys.
 */
@Injectable()
export class IdTokenService {
  private readonly logger = new Logger('IdTokens');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ciSettings: CiSettingsService,
    private readonly identities: JobIdentityLoader,
    private readonly keys: KeyStore,
    private readonly signingKeys: SigningKeysService,
  ) {}

  async mintForJob(tx: EntityManager, record: JobRecord, variables: ReadonlyMap<string, string>, at: Date): Promise<MintResult> {
    const idTokens = Object.entries(record.metadata.idTokens);
    const { optInJwt, subClaimComponents: subComponents } = await this.ciSettings.forProject(tx, record.project.id);
    if (idTokens.length === 0 && optInJwt) return { ok: true, variables: [] };
    const signer = await this.lockActiveSigner(tx);
    if (!signer) return this.failed(record, 'id_token_generation_failed', 'no active signing key could be loaded');
    const identity = await this.identities.load(tx, record, this.config);
    const now = Math.floor(at.getTime() / 1000);
    const ttl = record.build.timeout;
    let tokens: MintedToken[];
    try {
      const claims: [string, IdTokenClaims | LegacyJwtClaims][] = [
        ...(optInJwt ? [] : this.legacyClaims(identity, subComponents, ttl, now)),
        ...idTokens.map(([name, definition]): [string, IdTokenClaims] => [
          name,
          buildIdTokenClaims(
            identity,
            { aud: expandAudience(definition.aud, variables, name), subComponents, issuer: this.config.externalUrl, ttl },
            now,
            randomUUID(),
          ),
        ]),
      ];
      tokens = await Promise.all(claims.map(async ([variable, claim]) => ({ variable, claims: claim, jwt: await signIdToken(claim, signer) })));
    } catch (error) {
      if (!(error instanceof IdTokenError)) throw error;
      return this.failed(record, FAILURE_REASONS[error.code] ?? 'id_token_generation_failed', error.message);
    }
    await this.recordIssuances(tx, record, tokens, signer.kid);
    return { ok: true, variables: this.toVariables(tokens) };
  }

  /** CI_JOB_JWT and CI_JOB_JWT_V1 carry one v1 token; CI_JOB_JWT_V2 a v2 token with aud = iss. */
  private legacyClaims(identity: JobIdentity, subComponents: readonly SubClaimComponent[], ttl: number, now: number): [string, IdTokenClaims | LegacyJwtClaims][] {
    return [
      ['CI_JOB_JWT', buildLegacyJwtClaims(identity, { ttl }, now, randomUUID())],
      ['CI_JOB_JWT_V2', buildLegacyJwtV2Claims(identity, { issuer: this.config.externalUrl, subComponents, ttl }, now, randomUUID())],
    ];
  }

  private toVariables(tokens: readonly MintedToken[]): RunnerVariable[] {
    return tokens.flatMap(({ variable, jwt }) => {
      const masked = (key: string) => toRunnerVariable({ key, value: jwt, masked: true });
      return variable === 'CI_JOB_JWT' ? [masked('CI_JOB_JWT'), masked('CI_JOB_JWT_V1')] : [masked(variable)];
    });
  }

  /**
   * The signer, with its row share-locked so a concurrent rotation cannot retire it mid-mint; when another replica
   * rotated since our last refresh, reload once and use the new active key.
   */
  private async lockActiveSigner(tx: EntityManager): Promise<ActiveSigner | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const signer = this.keys.activeSigner();
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

  private async recordIssuances(tx: EntityManager, record: JobRecord, tokens: readonly MintedToken[], kid: string): Promise<void> {
    for (const { variable, claims } of tokens) {
      await tx.query(
        `INSERT INTO ci_id_token_issuances (jti, build_id, project_id, variable, aud, sub, kid, iat, exp)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)`,
        [claims.jti, record.build.id, record.project.id, variable, JSON.stringify('aud' in claims ? claims.aud : null), claims.sub, kid, claims.iat, claims.exp],
      );
    }
  }

  private failed(record: JobRecord, failureReason: ServerFailureReason, detail: string): MintResult {
    this.logger.warn({ msg: 'job failed at ID token minting', jobId: record.build.id, failureReason, detail });
    return { ok: false, failureReason };
  }
}
