import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { UsersService } from './users.service';

const ROOT_BOOTSTRAP_LOCK = 7_413_001;
const CONFIGURED_TOKEN_NAME = 'LANYARD_ROOT_TOKEN';
const GENERATED_TOKEN_NAME = 'initial root token';
/** The tokens this bootstrap made; a new LANYARD_ROOT_TOKEN replaces them. */
const BOOTSTRAP_TOKEN_NAMES = [CONFIGURED_TOKEN_NAME, GENERATED_TOKEN_NAME];

export interface RootBootstrapResult {
  /** Set only when this start generated the token: it is printed once and never stored in clear. */
  readonly generatedToken: string | undefined;
}

/** Makes sure the admin `root` exists with a usable token; safe when several replicas start at once. */
@Injectable()
export class RootUserBootstrap {
  private readonly logger = new Logger('RootUserBootstrap');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  ensureRoot(): Promise<RootBootstrapResult> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ROOT_BOOTSTRAP_LOCK]);
      const [existing]: { id: string }[] = await tx.query(`SELECT id FROM users WHERE username = 'root'`);
      const configured = this.config.rootToken;
      if (existing) {
        if (configured) await this.adoptConfiguredToken(tx, Number(existing.id), configured);
        return { generatedToken: undefined };
      }
      const root = await this.users.insertUser(tx, { username: 'root', name: 'Administrator', email: 'root@localhost', admin: true });
      const token = configured ?? generateSecretToken('glpat');
      await this.users.insertToken(tx, root.id, configured ? CONFIGURED_TOKEN_NAME : GENERATED_TOKEN_NAME, token, ['api'], null);
      this.logger.log({ msg: 'created the admin user root' });
      return { generatedToken: configured ? undefined : token };
    });
  }

  /**
   * A new LANYARD_ROOT_TOKEN replaces the earlier bootstrap tokens (the previous value, or the token generated at
   * first start): they are revoked, so changing the variable is how a leaked or lost root token is replaced. Tokens
   * root made through the API stay. A value already known is left as it is: one revoked through the API is not
   * brought back by a restart.
   */
  private async adoptConfiguredToken(tx: EntityManager, rootId: number, configured: string): Promise<void> {
    const [known]: { revoked: boolean }[] = await tx.query('SELECT revoked FROM personal_access_tokens WHERE token_digest = $1', [
      digestToken(configured),
    ]);
    if (known) {
      if (known.revoked) this.logger.warn({ msg: 'LANYARD_ROOT_TOKEN names a revoked token; set a new value to recover root' });
      return;
    }
    const replaced: { id: number }[] = await tx.query(
      `UPDATE personal_access_tokens SET revoked = true
        WHERE user_id = $1 AND name = ANY($2) AND NOT revoked RETURNING id`,
      [rootId, BOOTSTRAP_TOKEN_NAMES],
    );
    await this.users.insertToken(tx, rootId, CONFIGURED_TOKEN_NAME, configured, ['api'], null);
    this.logger.log({ msg: 'LANYARD_ROOT_TOKEN changed: the earlier root bootstrap tokens are revoked', revoked: replaced.length });
  }
}
