import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  JWKS_REFRESH_INTERVAL_SECONDS,
  keyUsableFrom,
  planRevocation,
  publicJwkOf,
  type SigningKeyChange,
  publishLeadProblem,
  publishedCopyRefresh,
  retiredKeyPublishedUntil,
} from '@lanyard/id-tokens';
import { exportPKCS8, generateKeyPair, importPKCS8 } from 'jose';
import { DataSource, EntityManager, In } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG } from '../config/config.module';
import { retriedTransaction } from '../database/lock-conflicts';
import type { AppConfig } from '../config/app-config';
import { KeyChangeListener, announceKeyChange } from './key-change-listener';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';
import { resolveKeyEncryptionKey } from './key-encryption-key';
import { ActiveSigner, KeyStore } from './key-store';
import { PIPELINE_PROGRESS, type PipelineProgress } from './pipeline-progress';
import { SigningKey } from './signing-key.entity';
import { SigningKeyError } from './signing-key-errors';

const KEY_BOOTSTRAP_LOCK = 7_413_002;

/** Signing keys: generated, encrypted at rest, rotated next → active → retired (or revoked), mirrored into the KeyStore. */
@Injectable()
export class SigningKeysService implements OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  private readonly encryptionKey: Buffer;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: KeyStore,
    private readonly changes: KeyChangeListener,
    @Inject(PIPELINE_PROGRESS) private readonly progress: PipelineProgress,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const resolved = resolveKeyEncryptionKey(config);
    if (resolved.generatedFile) {
      this.logger.warn({
        msg: 'LANYARD_KEY_ENCRYPTION_KEY is not set: signing keys are encrypted with a key kept in the data directory',
        file: resolved.generatedFile,
      });
    }
    this.encryptionKey = resolved.key;
    // Production refuses such a lead at start (app-config.ts); elsewhere, e.g. in tests, it is allowed with a warning.
    const leadProblem = publishLeadProblem(config.keyPublishLeadSeconds);
    if (leadProblem) this.logger.warn({ msg: `LANYARD_KEY_PUBLISH_LEAD ${leadProblem}; allowed because NODE_ENV is not production` });
  }

  /** At start: make sure one key can sign (the very first start creates it active), load the set, keep it fresh. */
  async start(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_BOOTSTRAP_LOCK]);
      const active = await tx.getRepository(SigningKey).countBy({ state: 'active' });
      if (active === 0) {
        const key = await this.insertKey(tx, 'active', this.clock.now());
        this.logger.log({ msg: 'generated the first signing key', kid: key.kid });
        this.warnPublishedCopy({ kind: 'first', kid: key.kid });
      }
    });
    await this.changes.start(() => this.refresh(this.db.manager));
    await this.refresh(this.db.manager);
    // The backstop for missed notifications, and what drops a retired key once its publication ends.
    this.refreshTimer = setInterval(() => void this.refresh(this.db.manager).catch(() => undefined), JWKS_REFRESH_INTERVAL_SECONDS * 1000);
    this.refreshTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.refreshTimer);
  }

  async list() {
    const keys = await this.db.getRepository(SigningKey).find({ order: { id: 'ASC' } });
    return keys.map(presentKey);
  }

  /** A new key, published now (on every replica) and allowed to sign once the publish lead time has passed. */
  async addNext() {
    const key = await this.db.transaction(async (tx) => {
      const added = await this.insertKey(
        tx,
        'next',
        new Date(keyUsableFrom(this.clock.now().getTime() / 1000, this.config.keyPublishLeadSeconds) * 1000),
      );
      await announceKeyChange(tx);
      return added;
    });
    this.warnPublishedCopy({ kind: 'added', kid: key.kid, usableFrom: key.usableFrom.getTime() / 1000 });
    await this.refresh(this.db.manager);
    return presentKey(key);
  }

  async activate(kid: string) {
    const key = await this.db.transaction(async (tx) => {
      const keys = await tx
        .getRepository(SigningKey)
        .find({ where: { state: In(['next', 'active']) }, lock: { mode: 'pessimistic_write' } });
      const candidate = keys.find((k) => k.kid === kid) ?? (await this.findOrFail(tx, kid));
      if (candidate.state !== 'next') throw new SigningKeyError('ACTIVATE_NOT_NEXT', { kid, state: candidate.state });
      const now = this.clock.now();
      if (candidate.usableFrom.getTime() > now.getTime()) {
        throw new SigningKeyError('ACTIVATE_TOO_EARLY', { kid, usableFrom: candidate.usableFrom.toISOString() });
      }
      for (const current of keys.filter((k) => k.state === 'active')) await this.retireKey(tx, current);
      await tx.getRepository(SigningKey).update(candidate.id, { state: 'active', activatedAt: now });
      await announceKeyChange(tx);
      return tx.getRepository(SigningKey).findOneByOrFail({ id: candidate.id });
    });
    this.warnPublishedCopy({ kind: 'activated', kid });
    await this.refresh(this.db.manager);
    return presentKey(key);
  }

  async retire(kid: string) {
    const key = await this.db.transaction(async (tx) => {
      const candidate = await this.findOrFail(tx, kid, true);
      if (candidate.state === 'retired') throw new SigningKeyError('RETIRE_ALREADY_RETIRED', { kid });
      if (candidate.state === 'revoked') throw new SigningKeyError('RETIRE_REVOKED', { kid });
      if (candidate.state === 'active') throw new SigningKeyError('RETIRE_ACTIVE', { kid });
      await this.retireKey(tx, candidate);
      await announceKeyChange(tx);
      return tx.getRepository(SigningKey).findOneByOrFail({ id: candidate.id });
    });
    this.warnPublishedCopy({ kind: 'retired', kid, publishedUntil: key.publishedUntil!.getTime() / 1000 });
    await this.refresh(this.db.manager);
    return presentKey(key);
  }

  /**
   * The emergency path for a compromised key: out of every replica's JWKS at once (breaking verifiers that cached
   * it, by design), its private part destroyed, the newest next key promoted without waiting for the lead time if it
   * was the active key, and the running jobs it signed tokens for failed with `id_token_signing_key_revoked`.
   */
  async revoke(kid: string) {
    // It fails running jobs of many pipelines, which runners and users may hold: a lock cycle is tried again.
    const key = await retriedTransaction(this.db, async (tx) => {
      // Every key row, write-locked: waits for mints holding the signer's row (FOR SHARE) and for rotations.
      const keys = await tx.getRepository(SigningKey).find({ order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      const target = keys.find((k) => k.kid === kid);
      if (!target) throw new SigningKeyError('SIGNING_KEY_NOT_FOUND');
      const plan = planRevocation(keys, kid);
      if (!plan.ok) throw new SigningKeyError(plan.reason === 'already_revoked' ? 'REVOKE_ALREADY_REVOKED' : 'REVOKE_ONLY_SIGNER', { kid });
      const now = this.clock.now();
      await tx
        .getRepository(SigningKey)
        .update(target.id, { state: 'revoked', revokedAt: now, publishedUntil: null, privateKey: Buffer.alloc(0) });
      const successor = keys.find((k) => k.kid === plan.promote);
      if (successor) await tx.getRepository(SigningKey).update(successor.id, { state: 'active', activatedAt: now });
      await this.failJobsSignedBy(tx, kid);
      await announceKeyChange(tx);
      return tx.getRepository(SigningKey).findOneByOrFail({ id: target.id });
    });
    this.logger.warn({ msg: 'signing key revoked', kid });
    this.warnPublishedCopy({ kind: 'revoked', kid });
    await this.refresh(this.db.manager);
    return presentKey(key);
  }

  /** Reloads the published set and the signer into memory; inside a transaction, pass it (pool size 1). */
  async refresh(db: EntityManager): Promise<void> {
    const now = this.clock.now();
    const keys = await db
      .getRepository(SigningKey)
      .createQueryBuilder('key')
      .addSelect('key.privateKey')
      .where("key.state IN ('next', 'active') OR (key.state = 'retired' AND key.published_until > :now)", { now })
      .orderBy('key.id', 'ASC')
      .getMany();
    const active = keys.find((key) => key.state === 'active');
    this.store.replace(
      keys.map((key) => key.publicJwk),
      active ? await this.loadSigner(active) : null,
      now,
    );
  }

  /** With LANYARD_ID_TOKEN_ISSUER_URL elsewhere, verifiers read a copy (`npm run export-oidc`) this service cannot update. */
  private warnPublishedCopy(change: SigningKeyChange): void {
    if (this.config.idTokenIssuerUrl === this.config.externalUrl) return;
    const refresh = publishedCopyRefresh(change, this.clock.now().getTime() / 1000);
    this.logger.warn({
      msg: `the key set published at ${this.config.idTokenIssuerUrl} must be refreshed (npm run export-oidc) by ${new Date(refresh.by * 1000).toISOString()}: ${refresh.reason}`,
      kid: change.kid,
      refreshBy: new Date(refresh.by * 1000).toISOString(),
    });
  }

  /** An unreadable key stops only minting (those jobs fail with a reason); the service and the JWKS keep working. */
  private async loadSigner(key: SigningKey): Promise<ActiveSigner | null> {
    try {
      return {
        kid: key.kid,
        privateKey: await importPKCS8(decryptPrivateKey(key.privateKey, this.encryptionKey).toString('utf8'), 'RS256'),
      };
    } catch (error) {
      this.logger.error({
        msg: 'the active signing key cannot be used',
        kid: key.kid,
        error: error instanceof Error ? error.message : 'unknown',
      });
      return null;
    }
  }

  private async insertKey(tx: EntityManager, state: 'next' | 'active', usableFrom: Date): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const publicJwk = await publicJwkOf(publicKey);
    const sealed = encryptPrivateKey(Buffer.from(await exportPKCS8(privateKey), 'utf8'), this.encryptionKey);
    const repository = tx.getRepository(SigningKey);
    return repository.save(
      repository.create({
        kid: publicJwk.kid,
        alg: 'RS256',
        publicJwk,
        privateKey: sealed,
        state,
        usableFrom,
        activatedAt: state === 'active' ? usableFrom : null,
        retiredAt: null,
        publishedUntil: null,
      }),
    );
  }

  /** Published until the last token it signed has expired, plus verifier skew and the lead time verifiers cache for. */
  private async retireKey(tx: EntityManager, key: SigningKey): Promise<void> {
    const [{ last_exp }]: { last_exp: string | null }[] = await tx.query(
      'SELECT max(exp) AS last_exp FROM ci_id_token_issuances WHERE kid = $1',
      [key.kid],
    );
    const now = this.clock.now();
    const until = retiredKeyPublishedUntil(
      now.getTime() / 1000,
      last_exp === null ? null : Number(last_exp),
      this.config.keyPublishLeadSeconds,
    );
    await tx.getRepository(SigningKey).update(key.id, { state: 'retired', retiredAt: now, publishedUntil: new Date(until * 1000) });
  }

  /** Running jobs holding a token the key signed (the issuance audit names them) can no longer be trusted. */
  private async failJobsSignedBy(tx: EntityManager, kid: string): Promise<void> {
    const [failed]: [{ pipeline_id: string }[], number] = await tx.query(
      `UPDATE ci_builds SET status = 'failed', failure_reason = 'id_token_signing_key_revoked', finished_at = $2
        WHERE status = 'running' AND id IN (SELECT build_id FROM ci_id_token_issuances WHERE kid = $1)
        RETURNING pipeline_id`,
      [kid, this.clock.now()],
    );
    // Pipelines in id order: two transactions locking several pipelines take them in the same order.
    const pipelineIds = [...new Set(failed.map((row) => Number(row.pipeline_id)))].sort((a, b) => a - b);
    for (const pipelineId of pipelineIds) await this.progress.advance(tx, pipelineId);
  }

  private async findOrFail(tx: EntityManager, kid: string, lock = false): Promise<SigningKey> {
    const key = await tx
      .getRepository(SigningKey)
      .findOne({ where: { kid }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!key) throw new SigningKeyError('SIGNING_KEY_NOT_FOUND');
    return key;
  }
}

function presentKey(key: SigningKey) {
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    public_jwk: key.publicJwk,
    created_at: key.createdAt.toISOString(),
    usable_from: key.usableFrom.toISOString(),
    activated_at: key.activatedAt?.toISOString() ?? null,
    retired_at: key.retiredAt?.toISOString() ?? null,
    published_until: key.publishedUntil?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}
