import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { publicJwkOf } from '@lanyard/id-tokens';
import { exportPKCS8, generateKeyPair, importPKCS8 } from 'jose';
import { DataSource, EntityManager, In } from 'typeorm';
import { ApiError } from '../common/api-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';
import { resolveKeyEncryptionKey } from './key-encryption-key';
import { ActiveSigner, KeyStore } from './key-store';
import { SigningKey } from './signing-key.entity';

const KEY_BOOTSTRAP_LOCK = 7_413_002;
/** Clock skew verifiers are allowed, on top of a token's own lifetime, before its key may leave the JWKS. */
const VERIFIER_SKEW_SECONDS = 300;
const REFRESH_INTERVAL_MS = 30_000;

/** Signing keys: generated, encrypted at rest, rotated next → active → retired, and mirrored into the KeyStore. */
@Injectable()
export class SigningKeysService implements OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  private readonly encryptionKey: Buffer;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: KeyStore,
  ) {
    const resolved = resolveKeyEncryptionKey(config);
    if (resolved.generatedFile) {
      this.logger.warn({ msg: 'LANYARD_KEY_ENCRYPTION_KEY is not set: signing keys are encrypted with a key kept in the data directory', file: resolved.generatedFile });
    }
    this.encryptionKey = resolved.key;
  }

  /** At start: make sure one key can sign (the very first start creates it active), load the set, keep it fresh. */
  async start(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_BOOTSTRAP_LOCK]);
      const active = await tx.getRepository(SigningKey).countBy({ state: 'active' });
      if (active === 0) {
        const key = await this.insertKey(tx, 'active', new Date());
        this.logger.log({ msg: 'generated the first signing key', kid: key.kid });
      }
    });
    await this.refresh();
    this.refreshTimer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_INTERVAL_MS);
    this.refreshTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.refreshTimer);
  }

  async list() {
    const keys = await this.db.getRepository(SigningKey).find({ order: { id: 'ASC' } });
    return keys.map(presentKey);
  }

  /** A new key, published now and allowed to sign once the publish lead time has passed. */
  async addNext() {
    const key = await this.db.transaction(async (tx) =>
      this.insertKey(tx, 'next', new Date(Date.now() + this.config.keyPublishLeadSeconds * 1000)),
    );
    await this.refresh();
    return presentKey(key);
  }

  async activate(kid: string) {
    const key = await this.db.transaction(async (tx) => {
      const keys = await tx.getRepository(SigningKey).find({ where: { state: In(['next', 'active']) }, lock: { mode: 'pessimistic_write' } });
      const candidate = keys.find((k) => k.kid === kid) ?? (await this.findOrFail(tx, kid));
      if (candidate.state !== 'next') throw ApiError.badRequest(`key ${kid} is ${candidate.state}; only a next key can be activated`);
      if (candidate.usableFrom.getTime() > Date.now()) {
        throw ApiError.badRequest(
          `key ${kid} may sign from ${candidate.usableFrom.toISOString()}, once verifiers have had LANYARD_KEY_PUBLISH_LEAD to fetch it`,
        );
      }
      for (const current of keys.filter((k) => k.state === 'active')) await this.retireKey(tx, current);
      await tx.getRepository(SigningKey).update(candidate.id, { state: 'active', activatedAt: new Date() });
      return tx.getRepository(SigningKey).findOneByOrFail({ id: candidate.id });
    });
    await this.refresh();
    return presentKey(key);
  }

  async retire(kid: string) {
    const key = await this.db.transaction(async (tx) => {
      const candidate = await this.findOrFail(tx, kid, true);
      if (candidate.state === 'retired') throw ApiError.badRequest(`key ${kid} is already retired`);
      if (candidate.state === 'active') throw ApiError.badRequest(`key ${kid} is the active key; activate a next key instead, which retires it`);
      await this.retireKey(tx, candidate);
      return tx.getRepository(SigningKey).findOneByOrFail({ id: candidate.id });
    });
    await this.refresh();
    return presentKey(key);
  }

  /** Reloads the published set and the signer into memory; inside a transaction, pass it (pool size 1). */
  async refresh(db: EntityManager = this.db.manager): Promise<void> {
    const keys = await db
      .getRepository(SigningKey)
      .createQueryBuilder('key')
      .addSelect('key.privateKey')
      .where("key.state IN ('next', 'active') OR key.published_until > now()")
      .orderBy('key.id', 'ASC')
      .getMany();
    const active = keys.find((key) => key.state === 'active');
    this.store.replace(keys.map((key) => key.publicJwk), active ? await this.loadSigner(active) : null, new Date());
  }

  /** An unreadable key stops only minting (those jobs fail with a reason); the service and the JWKS keep working. */
  private async loadSigner(key: SigningKey): Promise<ActiveSigner | null> {
    try {
      return { kid: key.kid, privateKey: await importPKCS8(decryptPrivateKey(key.privateKey, this.encryptionKey).toString('utf8'), 'RS256') };
    } catch (error) {
      this.logger.error({ msg: 'the active signing key cannot be used', kid: key.kid, error: error instanceof Error ? error.message : 'unknown' });
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
        activatedAt: state === 'active' ? new Date() : null,
        retiredAt: null,
        publishedUntil: null,
      }),
    );
  }

  /** Published until the last token it signed has expired, plus verifier skew and the lead time verifiers cache for. */
  private async retireKey(tx: EntityManager, key: SigningKey): Promise<void> {
    const [{ last_exp }]: { last_exp: number | null }[] = await tx.query('SELECT max(exp) AS last_exp FROM ci_id_token_issuances WHERE kid = $1', [key.kid]);
    const until = Math.max(Date.now() / 1000, last_exp ?? 0) + VERIFIER_SKEW_SECONDS + this.config.keyPublishLeadSeconds;
    await tx.getRepository(SigningKey).update(key.id, { state: 'retired', retiredAt: new Date(), publishedUntil: new Date(until * 1000) });
  }

  private async findOrFail(tx: EntityManager, kid: string, lock = false): Promise<SigningKey> {
    const key = await tx.getRepository(SigningKey).findOne({ where: { kid }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!key) throw ApiError.notFound('Signing key');
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
  };
}
