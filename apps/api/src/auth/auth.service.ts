import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import { User } from '../entities/user.entity';
import { digestToken } from './secret-token';

/** The owner of a live token and what the token may do; the caller decides what the owner's state allows. */
export interface TokenCredentials {
  readonly user: User;
  readonly scopes: readonly string[];
  /** The token's own id, for the routes that act on the calling token (`/personal_access_tokens/self`). */
  readonly tokenId: number;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The user owning a live (unrevoked, unexpired) token, whatever their state, with the token's scopes; or null. */
  async credentialsForToken(token: string): Promise<TokenCredentials | null> {
    if (token.length > 512) return null;
    const { entities, raw } = await this.db
      .getRepository(User)
      .createQueryBuilder('user')
      .innerJoin('personal_access_tokens', 'pat', 'pat.user_id = user.id')
      .addSelect('pat.scopes', 'pat_scopes')
      .addSelect('pat.id', 'pat_id')
      .where('pat.token_digest = :digest', { digest: digestToken(token) })
      .andWhere('NOT pat.revoked')
      .andWhere('(pat.expires_at IS NULL OR pat.expires_at > :today)', { today: utcDate(this.clock.now()) })
      .getRawAndEntities<{ pat_scopes: string[]; pat_id: number }>();
    return entities[0] ? { user: entities[0], scopes: raw[0].pat_scopes, tokenId: Number(raw[0].pat_id) } : null;
  }

  /** GitLab's `find_user`: digits are an id, anything else a username, compared without case. */
  userByIdOrUsername(identifier: string): Promise<User | null> {
    const users = this.db.getRepository(User);
    if (/^\d{1,15}$/.test(identifier)) return users.findOneBy({ id: Number(identifier) });
    return users.createQueryBuilder('user').where('lower(user.username) = lower(:identifier)', { identifier }).getOne();
  }
}
