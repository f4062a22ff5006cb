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

/** GitLab's `LAST_USED_AT_UPDATE_PERIOD`. */
const LAST_USED_PERIOD_MS = 10 * 60 * 1000;

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The user owning a live (unrevoked, unexpired) token, whatever their state, with the token's scopes; or null. The
   * token's `last_used_at` is stamped when it is older than ten minutes, as GitLab's LastUsedService: one write per
   * token per period, conditional so that concurrent requests make it once.
   */
  async credentialsForToken(token: string): Promise<TokenCredentials | null> {
    if (token.length > 512) return null;
    const now = this.clock.now();
    const { entities, raw } = await this.db
      .getRepository(User)
      .createQueryBuilder('user')
      .innerJoin('personal_access_tokens', 'pat', 'pat.user_id = user.id')
      .addSelect('pat.scopes', 'pat_scopes')
      .addSelect('pat.id', 'pat_id')
      .addSelect('pat.last_used_at', 'pat_last_used_at')
      .where('pat.token_digest = :digest', { digest: digestToken(token) })
      .andWhere('NOT pat.revoked')
      .andWhere('(pat.expires_at IS NULL OR pat.expires_at > :today)', { today: utcDate(now) })
      .getRawAndEntities<{ pat_scopes: string[]; pat_id: number; pat_last_used_at: Date | null }>();
    if (!entities[0]) return null;
    const tokenId = Number(raw[0].pat_id);
    const staleBefore = new Date(now.getTime() - LAST_USED_PERIOD_MS);
    if (raw[0].pat_last_used_at === null || raw[0].pat_last_used_at <= staleBefore) {
      await this.db.query(
        'UPDATE personal_access_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)',
        [tokenId, now, staleBefore],
      );
    }
    return { user: entities[0], scopes: raw[0].pat_scopes, tokenId };
  }

  /**
   * GitLab's RevokeTokenFamilyService: a revoked token presented to a rotation route is a rotated token being reused,
   * so whoever holds it may have raced its owner. Every token rotated from it, directly or down the chain, is revoked:
   * the owner rotates afresh, the thief is locked out. Nothing happens for a token that is unknown or not revoked.
   */
  async revokeFamilyOfReusedToken(token: string): Promise<void> {
    if (token.length > 512) return;
    await this.db.query(
      `WITH RECURSIVE family AS (
         SELECT next.id FROM personal_access_tokens reused
           JOIN personal_access_tokens next ON next.previous_personal_access_token_id = reused.id
          WHERE reused.token_digest = $1 AND reused.revoked
         UNION
         SELECT next.id FROM family JOIN personal_access_tokens next ON next.previous_personal_access_token_id = family.id
       )
       UPDATE personal_access_tokens SET revoked = true WHERE id IN (SELECT id FROM family) AND NOT revoked`,
      [digestToken(token)],
    );
  }

  /** GitLab's `find_user`: digits are an id, anything else a username, compared without case. */
  userByIdOrUsername(identifier: string): Promise<User | null> {
    const users = this.db.getRepository(User);
    if (/^\d{1,15}$/.test(identifier)) return users.findOneBy({ id: Number(identifier) });
    return users.createQueryBuilder('user').where('lower(user.username) = lower(:identifier)', { identifier }).getOne();
  }
}
