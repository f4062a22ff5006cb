import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel, MemberSourceType } from '@lanyard/access';
import { DataSource, EntityManager, In } from 'typeorm';
import { Caller } from '../auth/caller';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import { Page } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { presentUserBasic } from '../users/user.presenter';
import { User } from '../entities/user.entity';
import { AddMemberDto, UpdateMemberDto } from './dto/add-member.dto';
import { ListMembersQuery } from './dto/list-members.query';
import { memberFiltersSql } from './member-list';
import { Member } from '../entities/member.entity';
import { MemberError } from './member-errors';

/** A group (namespace) or project whose direct members are managed, with the caller's level on it. */
export interface MemberSource {
  readonly type: MemberSourceType;
  readonly id: number;
  readonly callerLevel: AccessLevel;
}

@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(source: MemberSource, query: ListMembersQuery) {
    const params: unknown[] = [source.type, source.id];
    const where = `m.source_type = $1 AND m.source_id = $2${memberFiltersSql(query, params)}`;
    const [{ total }]: { total: number }[] = await this.db.query(`SELECT count(*)::int AS total FROM members m WHERE ${where}`, params);
    const rows: { id: string }[] = await this.db.query(
      `SELECT m.id FROM members m WHERE ${where} ORDER BY m.id LIMIT ${query.per_page} OFFSET ${query.offset}`,
      params,
    );
    const members = rows.length
      ? await this.db.getRepository(Member).find({ where: { id: In(rows.map(({ id }) => Number(id))) }, order: { id: 'ASC' } })
      : [];
    return new Page(await this.presentMany(this.db.manager, members), total, query);
  }

  /**
   * GitLab's `members/all`: the direct members and those of every ancestor group, one row per user. The highest
   * unexpired level wins (GitLab reports the user's effective level), then a membership of the project itself, then the
   * one that lasts longest.
   */
  async listAll(source: MemberSource, page: ListMembersQuery) {
    const params: unknown[] = [source.type, source.id, utcDate(this.clock.now())];
    const effective = `${EFFECTIVE_MEMBERS_SQL} SELECT * FROM effective m WHERE true${memberFiltersSql(page, params)}`;
    const [{ total }]: { total: number }[] = await this.db.query(`SELECT count(*)::int AS total FROM (${effective}) e`, params);
    const rows: EffectiveMemberRow[] = await this.db.query(`${effective} ORDER BY id LIMIT ${page.per_page} OFFSET ${page.offset}`, params);
    return new Page(
      await this.presentMany(
        this.db.manager,
        rows.map((row) => this.toMember(row)),
      ),
      total,
      page,
    );
  }

  async showAll(source: MemberSource, userId: number) {
    const [row]: EffectiveMemberRow[] = await this.db.query(`${EFFECTIVE_MEMBERS_SQL} SELECT * FROM effective WHERE user_id = $4`, [
      source.type,
      source.id,
      utcDate(this.clock.now()),
      userId,
    ]);
    if (!row) throw new MemberError('MEMBER_NOT_FOUND');
    return (await this.presentMany(this.db.manager, [this.toMember(row)]))[0];
  }

  private toMember(row: EffectiveMemberRow): Member {
    return this.db.getRepository(Member).create({
      id: row.id,
      userId: row.user_id,
      sourceType: row.source_type,
      sourceId: row.source_id,
      accessLevel: row.access_level,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
    });
  }

  async show(source: MemberSource, userId: number) {
    const member = await this.db.getRepository(Member).findOneBy({ sourceType: source.type, sourceId: source.id, userId });
    if (!member) throw new MemberError('MEMBER_NOT_FOUND');
    return (await this.presentMany(this.db.manager, [member]))[0];
  }

  async add(caller: Caller, source: MemberSource, dto: AddMemberDto) {
    assertMayGrant(caller, source, dto.access_level);
    const member = await this.db.transaction(async (tx) => {
      const user = await tx.getRepository(User).findOneBy({ id: dto.user_id });
      if (!user) throw new MemberError('USER_NOT_FOUND');
      const existing = await tx.getRepository(Member).findOneBy({ sourceType: source.type, sourceId: source.id, userId: user.id });
      if (existing) throw new MemberError('MEMBER_EXISTS');
      const repository = tx.getRepository(Member);
      return repository.save(
        repository.create({
          userId: user.id,
          sourceType: source.type,
          sourceId: source.id,
          accessLevel: dto.access_level,
          expiresAt: dto.expires_at ?? null,
        }),
      );
    });
    return (await this.presentMany(this.db.manager, [member]))[0];
  }

  async update(caller: Caller, source: MemberSource, userId: number, dto: UpdateMemberDto) {
    const member = await this.db.transaction(async (tx) => {
      const existing = await this.lockMember(tx, source, userId);
      assertMayGrant(caller, source, Math.max(existing.accessLevel, dto.access_level));
      if (existing.accessLevel === AccessLevel.Owner && dto.access_level < AccessLevel.Owner)
        await this.assertNotLastOwner(tx, source, existing);
      await tx
        .getRepository(Member)
        .update(existing.id, { accessLevel: dto.access_level, expiresAt: dto.expires_at ?? existing.expiresAt });
      return tx.getRepository(Member).findOneByOrFail({ id: existing.id });
    });
    return (await this.presentMany(this.db.manager, [member]))[0];
  }

  async remove(caller: Caller, source: MemberSource, userId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const existing = await this.lockMember(tx, source, userId);
      assertMayGrant(caller, source, existing.accessLevel);
      if (existing.accessLevel === AccessLevel.Owner) await this.assertNotLastOwner(tx, source, existing);
      await tx.getRepository(Member).delete(existing.id);
    });
  }

  private async lockMember(tx: EntityManager, source: MemberSource, userId: number): Promise<Member> {
    const member = await tx.getRepository(Member).findOne({
      where: { sourceType: source.type, sourceId: source.id, userId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!member) throw new MemberError('MEMBER_NOT_FOUND');
    return member;
  }

  /**
   * A group keeps at least one owner (direct, or inherited from an ancestor as GitLab counts them), so nobody locks
   * everyone out of it. The group row is locked first: two owners removing each other at once would otherwise each
   * see the other still there and leave none.
   */
  private async assertNotLastOwner(tx: EntityManager, source: MemberSource, leaving: Member): Promise<void> {
    if (source.type !== 'Namespace') return;
    const [group]: { traversal_ids: number[] }[] = await tx.query('SELECT traversal_ids FROM namespaces WHERE id = $1 FOR UPDATE', [
      source.id,
    ]);
    const [{ owners }]: { owners: number }[] = await tx.query(
      `SELECT count(DISTINCT user_id)::int AS owners FROM members
        WHERE source_type = 'Namespace' AND source_id = ANY($1) AND access_level = $2 AND id <> $3
          AND (expires_at IS NULL OR expires_at > $4)`,
      [group?.traversal_ids ?? [source.id], AccessLevel.Owner, leaving.id, utcDate(this.clock.now())],
    );
    if (owners < 1) throw new MemberError('LAST_OWNER');
  }

  private async presentMany(db: EntityManager, members: Member[]) {
    const users = members.length ? await db.getRepository(User).find({ where: members.map((m) => ({ id: m.userId })) }) : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    return members.map((member) => ({
      ...presentUserBasic(byId.get(member.userId)!, this.config.externalUrl),
      access_level: member.accessLevel,
      created_at: member.createdAt.toISOString(),
      expires_at: member.expiresAt,
    }));
  }
}

interface EffectiveMemberRow {
  readonly id: number;
  readonly user_id: number;
  readonly source_type: MemberSourceType;
  readonly source_id: number;
  readonly access_level: AccessLevel;
  readonly expires_at: string | null;
  readonly created_at: Date;
}

/**
 * `effective`: one membership per user of the source ($1 type, $2 id) or of a group above it, unexpired on $3 (the
 * clock's UTC date). A group's traversal ids include itself; a project's are its namespace's.
 */
const EFFECTIVE_MEMBERS_SQL = `
  WITH scope AS (
    SELECT n.traversal_ids AS ids FROM namespaces n
     WHERE n.id = CASE WHEN $1 = 'Project' THEN (SELECT p.namespace_id FROM projects p WHERE p.id = $2) ELSE $2 END
  ), effective AS (
    SELECT DISTINCT ON (m.user_id) m.id, m.user_id, m.source_type, m.source_id, m.access_level,
           to_char(m.expires_at, 'YYYY-MM-DD') AS expires_at, m.created_at
      FROM members m, scope
     WHERE (m.expires_at IS NULL OR m.expires_at > $3::date)
       AND ((m.source_type = 'Namespace' AND m.source_id = ANY(scope.ids)) OR (m.source_type = $1 AND m.source_id = $2))
     ORDER BY m.user_id, m.access_level DESC, (m.source_type = 'Project') DESC, m.expires_at DESC NULLS FIRST, m.id
  )`;

/** Only an owner may grant, change or remove the owner role (GitLab: maintainers manage up to maintainer). */
function assertMayGrant(caller: Caller, source: MemberSource, level: number): void {
  if (caller.user.admin) return;
  if (level > source.callerLevel) throw new MemberError('LEVEL_ABOVE_CALLER', { level });
}
