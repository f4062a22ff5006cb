import { Injectable, Logger } from '@nestjs/common';
import { IdTokenError, signIdToken } from '@lanyard/id-tokens';
import { type PlannedToken, failureReasonOf } from '@lanyard/pickup';
import { RunnerVariable, ServerFailureReason, toRunnerVariable } from '@lanyard/pipelines';
import { EntityManager } from 'typeorm';
import { ActiveSigner, KeyStore } from './key-store';
import { SigningKeysService } from './signing-keys.service';

/** The tokens signed for a job; recorded in the audit only once the job is handed to its runner. */
export interface IssuedTokens {
  readonly kid: string | null;
  readonly tokens: readonly (PlannedToken & { readonly jwt: string })[];
}

/** `detail` names what is wrong (never a token, key or variable value). */
export type SignResult =
  | { readonly ok: true; readonly issued: IssuedTokens }
  | { readonly ok: false; readonly reason: ServerFailureReason; readonly detail: string };

const NOTHING_ISSUED: IssuedTokens = { kid: null, tokens: [] };

/**
 * Signs the tokens a pickup decided (`@lanyard/pickup`'s `decidePickup` plans every claim without a key), with the
 * active key, share-locked so a concurrent rotation cannot retire it mid-mint. A job that needs no token never
 * touches the keys.
 */
@Injectable()
export class IdTokenService {
  private readonly logger = new Logger('IdTokens');

  constructor(
    private readonly keys: KeyStore,
    private readonly signingKeys: SigningKeysService,
  ) {}

  /** The key whose row a pickup's claim share-locks: the one its tokens will be signed with. */
  signerKidToLock(): string | null {
    return this.keys.activeSigner()?.kid ?? null;
  }

  /** `lockedKid`: the key the claim found active and share-locked in this transaction, if any. */
  async sign(tx: EntityManager, tokens: readonly PlannedToken[], lockedKid: string | null): Promise<SignResult> {
    if (tokens.length === 0) return { ok: true, issued: NOTHING_ISSUED };
    const signer = await this.lockActiveSigner(tx, lockedKid);
    if (!signer) return { ok: false, reason: 'id_token_generation_failed', detail: 'no active signing key could be loaded' };
    try {
      const signed = await Promise.all(tokens.map(async (token) => ({ ...token, jwt: await signIdToken(token.claims, signer) })));
      return { ok: true, issued: { kid: signer.kid, tokens: signed } };
    } catch (error) {
      // A library refusal fails the job with its reason; anything else is a bug and propagates.
      if (!(error instanceof IdTokenError)) throw error;
      return { ok: false, reason: failureReasonOf(error.code), detail: error.message };
    }
  }

  /** The runner variables carrying the tokens: CI_JOB_JWT also as CI_JOB_JWT_V1. */
  toVariables(issued: IssuedTokens): RunnerVariable[] {
    return issued.tokens.flatMap(({ variable, jwt }) => {
      const masked = (key: string) => toRunnerVariable({ key, value: jwt, masked: true });
      return variable === 'CI_JOB_JWT' ? [masked('CI_JOB_JWT'), masked('CI_JOB_JWT_V1')] : [masked(variable)];
    });
  }

  /**
   * The signer, with its row share-locked so a concurrent rotation cannot retire it mid-mint; when another replica
   * rotated since our last refresh, reload once and use the new active key.
   */
  private async lockActiveSigner(tx: EntityManager, lockedKid: string | null): Promise<ActiveSigner | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const signer = this.keys.activeSigner();
      // Locked by the claim, in this transaction: still ours, and still the one to use.
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
}
