import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel, isTokenScope } from '@lanyard/access';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { Caller } from '../auth/caller';
import { Page } from '../common/pagination';
import { Member } from '../entities/member.entity';
import { Namespace } from '../entities/namespace.entity';
import { CreatePersonalAccessTokenDto } from './dto/create-personal-access-token.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { PersonalAccessToken } from './personal-access-token.entity';
import { presentNewToken } from './personal-access-token.presenter';
import { User, UserState } from '../entities/user.entity';
import { presentUser, presentUserBasic } from './user.presenter';
import { UserError } from './user-errors';
import { filterUsers } from './users-list';

/** What a token may carry besides its owner, name, scopes and expiry. */
export interface TokenDetails {
  readonly description?: string | null;
  /** The token a rotation replaces with this one. */
  readonly previousTokenId?: number | null;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  current(caller: Caller) {
    return presentUser(caller.user, this.config.externalUrl);
  }

  /**
   * GitLab's `GET /users`: anyone signed in lists users with the basic fields (GitLab's `UserBasic`); an admin sees
   * every user with the admin fields (email, `is_admin`). Which users and in what order: `filterUsers`.
   */
  async list(caller: Caller, query: ListUsersQuery) {
    const viewer = { admin: caller.user.admin };
    const users = this.db.getRepository(User).createQueryBuilder('u');
    filterUsers(users, query, viewer);
    const [rows, total] = await users.skip(query.offset).take(query.per_page).getManyAndCount();
    const present = viewer.admin ? presentUser : presentUserBasic;
    return new Page(
      rows.map((user) => present(user, this.config.externalUrl)),
      total,
      query,
    );
  }

  /** Email and the admin flag only for the user themself or an admin, as GitLab's `GET /users/:id`. */
  async show(caller: Caller, id: number) {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw new UserError('USER_NOT_FOUND');
    const full = caller.user.admin || caller.user.id === user.id;
    return full ? presentUser(user, this.config.externalUrl) : presentUserBasic(user, this.config.externalUrl);
  }

  /**
   * GitLab's `POST /users/:id/block`: `true` when blocked now, `null` when already blocked. Any admin may block
   * any other user, admins included, never themself. Their tokens stop working at once (AuthGuard reads the state).
   */
  async block(caller: Caller, id: number): Promise<true | null> {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw new UserError('USER_NOT_FOUND');
    if (user.id === caller.user.id) throw new UserError('SELF_BLOCK');
    const changed = await this.setState(user.id, 'active', 'blocked');
    return changed ? true : null;
  }

  /** GitLab's `POST /users/:id/unblock`: whether the user went from blocked to active (`false` if already active). */
  async unblock(id: number): Promise<boolean> {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw new UserError('USER_NOT_FOUND');
    return this.setState(user.id, 'blocked', 'active');
  }

  /** One conditional write, so two admins acting at once get one `true` between them. */
  private async setState(id: number, from: UserState, to: UserState): Promise<boolean> {
    const result = await this.db.getRepository(User).update({ id, state: from }, { state: to });
    return result.affected === 1;
  }

  async create(dto: CreateUserDto) {
    const user = await this.db.transaction((tx) => this.insertUser(tx, dto));
    return presentUser(user, this.config.externalUrl);
  }

  /** A user and their personal namespace (kind `user`, path = username), which they own. */
  async insertUser(tx: EntityManager, dto: CreateUserDto): Promise<User> {
    const taken: { field: string }[] = await tx.query(
      `SELECT 'username' AS field FROM users WHERE lower(username) = lower($1)
       UNION ALL SELECT 'username' FROM namespaces WHERE parent_id IS NULL AND lower(path) = lower($1)
       UNION ALL SELECT 'email' FROM users WHERE lower(email) = lower($2)`,
      [dto.username, dto.email],
    );
    if (taken.length) throw new UserError(taken[0].field === 'email' ? 'EMAIL_TAKEN' : 'USERNAME_TAKEN');
    const user = await tx
      .getRepository(User)
      .save(
        tx
          .getRepository(User)
          .create({ username: dto.username, name: dto.name, email: dto.email, admin: dto.admin ?? false, state: 'active' }),
      );
    const namespace = await tx.getRepository(Namespace).save(
      tx.getRepository(Namespace).create({
        name: dto.username,
        path: dto.username,
        type: 'User',
        parentId: null,
        ownerId: user.id,
        traversalIds: [],
        visibility: 'private',
        description: '',
      }),
    );
    await tx.getRepository(Namespace).update(namespace.id, { traversalIds: [namespace.id] });
    await tx.getRepository(Member).insert({
      userId: user.id,
      sourceType: 'Namespace',
      sourceId: namespace.id,
      accessLevel: AccessLevel.Owner,
    });
    return user;
  }

  async createPersonalAccessToken(userId: number, dto: CreatePersonalAccessTokenDto) {
    // Grape validates parameters before the endpoint looks anything up.
    if (dto.scopes && !dto.scopes.every(isTokenScope)) throw new UserError('TOKEN_SCOPE_UNKNOWN');
    const user = await this.db.getRepository(User).findOneBy({ id: userId });
    if (!user) throw new UserError('USER_NOT_FOUND');
    if (dto.expires_at !== undefined && new Date(dto.expires_at) <= this.clock.now()) {
      throw new UserError('TOKEN_EXPIRY_NOT_FUTURE');
    }
    const token = generateSecretToken('glpat');
    const saved = await this.insertToken(this.db.manager, user.id, dto.name, token, dto.scopes ?? ['api'], dto.expires_at ?? null, {
      description: dto.description ?? null,
    });
    return presentNewToken(saved, token, utcDate(this.clock.now()));
  }

  insertToken(
    db: EntityManager,
    userId: number,
    name: string,
    token: string,
    scopes: string[],
    expiresAt: string | null,
    { description = null, previousTokenId = null }: TokenDetails = {},
  ): Promise<PersonalAccessToken> {
    const repository = db.getRepository(PersonalAccessToken);
    return repository.save(
      repository.create({ userId, name, tokenDigest: digestToken(token), scopes, expiresAt, revoked: false, description, previousTokenId }),
    );
  }
}
