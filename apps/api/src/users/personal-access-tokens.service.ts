import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Caller } from '../auth/caller';
import { generateSecretToken } from '../auth/secret-token';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import { Page } from '../common/pagination';
import { User } from '../entities/user.entity';
import { ListPersonalAccessTokensQuery, RotatePersonalAccessTokenDto, TokenSort } from './dto/personal-access-tokens.query';
import { PersonalAccessToken } from './personal-access-token.entity';
import { presentNewToken, presentToken } from './personal-access-token.presenter';
import { UserError } from './user-errors';
import { UsersService } from './users.service';

const DAY_MS = 86_400_000;
/** GitLab's RotateService: without `expires_at`, the new token lives a week (personal token expiry is required). */
const ROTATED_LIFETIME_DAYS = 7;
/** GitLab's `MAX_PERSONAL_ACCESS_TOKEN_LIFETIME_IN_DAYS`. */
const MAX_LIFETIME_DAYS = 365;

type Order = readonly [column: string, direction: 'ASC' | 'DESC', idDirection: 'ASC' | 'DESC'];

/** Without `sort`, GitLab's pagination orders by id. */
const DEFAULT_ORDER: Order = ['pat.id', 'ASC', 'ASC'];

const SORTS: Record<TokenSort, Order> = {
  created_asc: ['pat.created_at', 'ASC', 'ASC'],
  created_desc: ['pat.created_at', 'DESC', 'DESC'],
  expires_asc: ['pat.expires_at', 'ASC', 'DESC'],
  expires_desc: ['pat.expires_at', 'DESC', 'DESC'],
  last_used_asc: ['pat.last_used_at', 'ASC', 'DESC'],
  last_used_desc: ['pat.last_used_at', 'DESC', 'DESC'],
  name_asc: ['pat.name', 'ASC', 'ASC'],
  name_desc: ['pat.name', 'DESC', 'DESC'],
};

/**
 * GitLab's personal access token API. A user sees and manages their own tokens, an admin everyone's. Who may not see a
 * token learns nothing from its id: a read or a rotation of someone else's token, or of none, is GitLab's 401.
 */
@Injectable()
export class PersonalAccessTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  async list(caller: Caller, query: ListPersonalAccessTokensQuery) {
    const today = this.today();
    const tokens = this.db.getRepository(PersonalAccessToken).createQueryBuilder('pat');
    const owner = await this.listedOwner(caller, query.user_id);
    if (owner !== 'everyone') tokens.where('pat.user_id = :owner', { owner });
    applyFilters(tokens, query, today);
    const [column, direction, idDirection] = query.sort ? SORTS[query.sort] : DEFAULT_ORDER;
    tokens.orderBy(column, direction).addOrderBy('pat.id', idDirection).skip(query.offset).take(query.per_page);
    const [rows, total] = await tokens.getManyAndCount();
    return new Page(
      rows.map((token) => presentToken(token, today)),
      total,
      query,
    );
  }

  async show(caller: Caller, id: number) {
    return presentToken(await this.visibleToken(caller, id), this.today());
  }

  async showSelf(tokenId: number) {
    return presentToken(await this.db.getRepository(PersonalAccessToken).findOneByOrFail({ id: tokenId }), this.today());
  }

  /** GitLab finds the token first (404 for anyone), then its RevokeService refuses someone else's (a bare 400). */
  async revoke(caller: Caller, id: number): Promise<void> {
    const token = await this.db.getRepository(PersonalAccessToken).findOneBy({ id });
    if (!token) throw new UserError('TOKEN_NOT_FOUND');
    if (!mayManage(caller, token)) throw new UserError('TOKEN_REVOKE_NOT_PERMITTED');
    await this.db.getRepository(PersonalAccessToken).update({ id: token.id }, { revoked: true });
  }

  async rotate(caller: Caller, id: number, dto: RotatePersonalAccessTokenDto) {
    return this.rotateToken(await this.visibleToken(caller, id), dto);
  }

  async rotateSelf(tokenId: number, dto: RotatePersonalAccessTokenDto) {
    return this.rotateToken(await this.db.getRepository(PersonalAccessToken).findOneByOrFail({ id: tokenId }), dto);
  }

  /**
   * GitLab's RotateService: the old token is revoked and a new one with its name, scopes and owner is returned once.
   * The revocation is conditional, so of two rotations at once one wins and the other finds it already revoked.
   */
  private async rotateToken(token: PersonalAccessToken, dto: RotatePersonalAccessTokenDto) {
    if (token.revoked) throw new UserError('TOKEN_ALREADY_REVOKED');
    const now = this.clock.now();
    const today = utcDate(now);
    const expiresAt = dto.expires_at === undefined ? daysAfter(now, ROTATED_LIFETIME_DAYS) : utcDate(new Date(dto.expires_at));
    if (expiresAt <= today) throw new UserError('TOKEN_EXPIRY_NOT_FUTURE');
    const latest = daysAfter(now, MAX_LIFETIME_DAYS);
    if (expiresAt > latest) throw new UserError('TOKEN_EXPIRY_TOO_LATE', { latest });
    const secret = generateSecretToken('glpat');
    const created = await this.db.transaction(async (tx: EntityManager) => {
      const revoked = await tx.getRepository(PersonalAccessToken).update({ id: token.id, revoked: false }, { revoked: true });
      if (revoked.affected !== 1) throw new UserError('TOKEN_ALREADY_REVOKED');
      return this.users.insertToken(tx, token.userId, token.name, secret, token.scopes, expiresAt, {
        description: token.description,
        previousTokenId: token.id,
      });
    });
    return presentNewToken(created, secret, today);
  }

  /** The token, if the caller may see it: GitLab tells only admins that a token does not exist. */
  private async visibleToken(caller: Caller, id: number): Promise<PersonalAccessToken> {
    const token = await this.db.getRepository(PersonalAccessToken).findOneBy({ id });
    if (token && mayManage(caller, token)) return token;
    throw new UserError(caller.user.admin ? 'TOKEN_NOT_FOUND' : 'TOKEN_OF_ANOTHER_USER');
  }

  /** Whose tokens a list shows: the caller's own; for an admin everyone's, or those of `user_id` (404 if none). */
  private async listedOwner(caller: Caller, userId: number | undefined): Promise<number | 'everyone'> {
    if (!caller.user.admin) {
      if (userId !== undefined && userId !== caller.user.id) throw new UserError('TOKEN_OF_ANOTHER_USER');
      return caller.user.id;
    }
    if (userId === undefined) return 'everyone';
    const user = await this.db.getRepository(User).findOneBy({ id: userId });
    if (!user) throw new UserError('TOKEN_OWNER_NOT_FOUND');
    return user.id;
  }

  private today(): string {
    return utcDate(this.clock.now());
  }
}

/** GitLab's `read_user_personal_access_tokens` / `revoke_token` abilities: the owner, or an admin. */
function mayManage(caller: Caller, token: PersonalAccessToken): boolean {
  return caller.user.admin || token.userId === caller.user.id;
}

function daysAfter(now: Date, days: number): string {
  return utcDate(new Date(now.getTime() + days * DAY_MS));
}

/** GitLab's PersonalAccessTokensFinder filters, with its bounds (`created_*`, `last_used_*` inclusive, `expires_before` exclusive). */
function applyFilters(tokens: SelectQueryBuilder<PersonalAccessToken>, query: ListPersonalAccessTokensQuery, today: string): void {
  const live = '(NOT pat.revoked AND (pat.expires_at IS NULL OR pat.expires_at > :today))';
  if (query.revoked !== undefined) tokens.andWhere('pat.revoked = :revoked', { revoked: query.revoked });
  if (query.state === 'active') tokens.andWhere(live, { today });
  if (query.state === 'inactive') tokens.andWhere(`NOT ${live}`, { today });
  if (query.created_before) tokens.andWhere('pat.created_at <= :createdBefore', { createdBefore: query.created_before });
  if (query.created_after) tokens.andWhere('pat.created_at >= :createdAfter', { createdAfter: query.created_after });
  if (query.expires_before) tokens.andWhere('pat.expires_at < :expiresBefore', { expiresBefore: query.expires_before });
  if (query.expires_after) tokens.andWhere('pat.expires_at >= :expiresAfter', { expiresAfter: query.expires_after });
  if (query.last_used_before) tokens.andWhere('pat.last_used_at <= :lastUsedBefore', { lastUsedBefore: query.last_used_before });
  if (query.last_used_after) tokens.andWhere('pat.last_used_at >= :lastUsedAfter', { lastUsedAfter: query.last_used_after });
  if (query.search !== undefined && query.search !== '') {
    // GitLab's fuzzy search: a substring from three characters, the whole name (without case) below that.
    const escaped = query.search.replace(/[\\%_]/g, (char) => `\\${char}`);
    tokens.andWhere('pat.name ILIKE :search', { search: query.search.length >= 3 ? `%${escaped}%` : escaped });
  }
}
