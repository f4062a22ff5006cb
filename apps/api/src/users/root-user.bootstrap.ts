import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { UsersService } from './users.service';

const ROOT_BOOTSTRAP_LOCK = 7_413_001;

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
        if (configured) {
          const known = await tx.query('SELECT 1 FROM personal_access_tokens WHERE token_digest = $1', [digestToken(configured)]);
          if (!known.length) await this.users.insertToken(tx, Number(existing.id), 'LANYARD_ROOT_TOKEN', configured, ['api'], null);
        }
        return { generatedToken: undefined };
      }
      const root = await this.users.insertUser(tx, { username: 'root', name: 'Administrator', email: 'root@localhost', admin: true });
      const token = configured ?? generateSecretToken('glpat');
      await this.users.insertToken(tx, root.id, configured ? 'LANYARD_ROOT_TOKEN' : 'initial root token', token, ['api'], null);
      this.logger.log({ msg: 'created the admin user root' });
      return { generatedToken: configured ? undefined : token };
    });
  }
}
