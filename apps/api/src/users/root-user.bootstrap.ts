import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { ConfigError, type AppConfig } from '../config/app-config';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { User } from '../entities/user.entity';
import { PersonalAccessToken } from './personal-access-token.entity';
import { UsersService } from './users.service';

const ROOT_BOOTSTRAP_LOCK = 7_413_001;

/** The names this bootstrap gives root's service token; at most one of them is live at a time. */
const SERVICE_TOKEN_NAMES = { configured: 'LANYARD_ROOT_TOKEN', generated: 'initial root token', reset: 'reset root token' } as const;

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
      const existing = await tx.getRepository(User).findOneBy({ username: 'root' });
      const configured = this.config.rootToken;
      if (existing) {
        if (configured) await this.adoptConfiguredToken(tx, existing.id, configured);
        return { generatedToken: undefined };
      }
      const root = await this.createRoot(tx);
      const token = configured ?? generateSecretToken('glpat');
      await this.users.insertToken(
        tx,
        root.id,
        configured ? SERVICE_TOKEN_NAMES.configured : SERVICE_TOKEN_NAMES.generated,
        token,
        ['api'],
        null,
      );
      return { generatedToken: configured ? undefined : token };
    });
  }

  /** `npm run reset-root-token`: a new token for root, shown once; the earlier service token stops working. */
  resetToken(): Promise<string> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ROOT_BOOTSTRAP_LOCK]);
      const root = (await tx.getRepository(User).findOneBy({ username: 'root' })) ?? (await this.createRoot(tx));
      const revoked = await this.revokeServiceTokens(tx, root.id);
      const token = generateSecretToken('glpat');
      await this.users.insertToken(tx, root.id, SERVICE_TOKEN_NAMES.reset, token, ['api'], null);
      this.logger.warn({ msg: 'root token reset: the earlier root token is revoked', revoked });
      return token;
    });
  }

  /** A new LANYARD_ROOT_TOKEN replaces the earlier one: an operator changes it because the old one may have leaked. */
  private async adoptConfiguredToken(tx: EntityManager, rootId: number, configured: string): Promise<void> {
    const known = await tx.getRepository(PersonalAccessToken).findOneBy({ tokenDigest: digestToken(configured) });
    if (known && Number(known.userId) !== rootId)
      throw new ConfigError('LANYARD_ROOT_TOKEN', "is another user's token; choose a new value");
    if (known?.revoked) throw new ConfigError('LANYARD_ROOT_TOKEN', 'is a revoked root token; choose a new value');
    if (known) return;
    const revoked = await this.revokeServiceTokens(tx, rootId);
    await this.users.insertToken(tx, rootId, SERVICE_TOKEN_NAMES.configured, configured, ['api'], null);
    if (revoked > 0) this.logger.warn({ msg: 'LANYARD_ROOT_TOKEN changed: the earlier root token is revoked', revoked });
  }

  private async revokeServiceTokens(tx: EntityManager, rootId: number): Promise<number> {
    const result = await tx
      .getRepository(PersonalAccessToken)
      .update({ userId: rootId, revoked: false, name: In(Object.values(SERVICE_TOKEN_NAMES)) }, { revoked: true });
    return result.affected ?? 0;
  }

  private async createRoot(tx: EntityManager): Promise<User> {
    const root = await this.users.insertUser(tx, { username: 'root', name: 'Administrator', email: 'root@localhost', admin: true });
    this.logger.log({ msg: 'created the admin user root' });
    return root;
  }
}
