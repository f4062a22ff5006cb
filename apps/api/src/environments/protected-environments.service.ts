import { Inject, Injectable } from '@nestjs/common';
import { isValidEnvironmentName } from '@lanyard/ci-config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { CLOCK, Clock } from '../clock/clock';
import { Page, PageQuery } from '../common/pagination';
import { visibleToSql } from '../auth/visible-to';
import type { Project } from '../entities/project.entity';
import { DeployAccessLevelEntry } from './deploy-access-level.entity';
import { DeployAccessLevelDto, ProtectEnvironmentDto } from './dto/protected-environment.dto';
import { EnvironmentError } from './environment-errors';
import { PresentableEntry, presentProtectedEnvironment } from './environments.presenter';
import { ProtectedEnvironment } from './protected-environment.entity';

type NewEntry = Pick<DeployAccessLevelEntry, 'accessLevel' | 'userId' | 'groupId' | 'groupInheritanceType'>;

@Injectable()
export class ProtectedEnvironmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(project: Project, page: PageQuery) {
    const [rules, total] = await this.db.getRepository(ProtectedEnvironment).findAndCount({
      where: { projectId: project.id },
      // GitLab lists them `sorted_by_name`.
      order: { name: 'ASC', id: 'ASC' },
      skip: page.offset,
      take: page.per_page,
    });
    return new Page(await this.presentMany(this.db.manager, rules), total, page);
  }

  async show(project: Project, name: string) {
    return (await this.presentMany(this.db.manager, [await this.find(project, name)]))[0];
  }

  /** Stores every entry given, as GitLab does: anyone one of them admits may deploy. */
  async protect(caller: Caller, project: Project, dto: ProtectEnvironmentDto) {
    return this.db.transaction(async (tx) => {
      const entries = distinct(dto.deploy_access_levels.map(toEntry));
      await this.assertExist(tx, caller, entries);
      const inserted: { id: number }[] = await tx.query(
        `INSERT INTO protected_environments (project_id, name) VALUES ($1, $2) ON CONFLICT (project_id, name) DO NOTHING RETURNING id`,
        [project.id, dto.name],
      );
      if (!inserted.length) throw new EnvironmentError('PROTECTED_ENVIRONMENT_EXISTS', { name: dto.name });
      const protectedEnvironmentId = inserted[0].id;
      await tx.getRepository(DeployAccessLevelEntry).insert(entries.map((entry) => ({ ...entry, protectedEnvironmentId })));
      return (
        await this.presentMany(tx, [await tx.getRepository(ProtectedEnvironment).findOneByOrFail({ id: protectedEnvironmentId })])
      )[0];
    });
  }

  async unprotect(project: Project, name: string): Promise<void> {
    await this.db.getRepository(ProtectedEnvironment).delete((await this.find(project, name)).id);
  }

  private async find(project: Project, name: string): Promise<ProtectedEnvironment> {
    // Nothing with an impossible name exists; answering early keeps odd bytes (NUL) away from SQL.
    if (!isValidEnvironmentName(name)) throw new EnvironmentError('PROTECTED_ENVIRONMENT_NOT_FOUND');
    const rule = await this.db.getRepository(ProtectedEnvironment).findOneBy({ projectId: project.id, name });
    if (!rule) throw new EnvironmentError('PROTECTED_ENVIRONMENT_NOT_FOUND');
    return rule;
  }

  /**
   * A user or group entry must name one that exists (Rails' `belongs_to` presence, under GitLab's nested field name);
   * a group the caller cannot see counts as missing, so no one learns a private group's existence or name here.
   */
  private async assertExist(db: EntityManager, caller: Caller, entries: readonly NewEntry[]): Promise<void> {
    const userIds = entries.flatMap((entry) => (entry.userId === null ? [] : [entry.userId]));
    const groupIds = entries.flatMap((entry) => (entry.groupId === null ? [] : [entry.groupId]));
    const visible = visibleToSql(caller.user, this.clock.now(), 'n.traversal_ids', 'n.visibility', 3);
    const [{ users, groups }]: { users: number; groups: number }[] = await db.query(
      `SELECT (SELECT count(*)::int FROM users WHERE id = ANY($1)) AS users,
              (SELECT count(*)::int FROM namespaces n WHERE n.id = ANY($2) AND n.type = 'Group' AND ${visible}) AS groups`,
      [userIds, groupIds, caller.user.id],
    );
    if (users !== userIds.length) throw new EnvironmentError('DEPLOY_USER_MISSING');
    if (groups !== groupIds.length) throw new EnvironmentError('DEPLOY_GROUP_MISSING');
  }

  private async presentMany(db: EntityManager, rules: ProtectedEnvironment[]) {
    if (!rules.length) return [];
    const entries: (DeployAccessLevelEntry & { userName: string | null; groupName: string | null })[] = (
      await db.query(
        `SELECT a.id, a.protected_environment_id, a.access_level, a.user_id, a.group_id, a.group_inheritance_type,
                u.name AS user_name, g.name AS group_name
           FROM protected_environment_deploy_access_levels a
           LEFT JOIN users u ON u.id = a.user_id
           LEFT JOIN namespaces g ON g.id = a.group_id
          WHERE a.protected_environment_id = ANY($1)
          ORDER BY a.id`,
        [rules.map((rule) => rule.id)],
      )
    ).map(fromRow);
    return rules.map((rule) =>
      presentProtectedEnvironment(
        rule,
        entries.filter((entry) => entry.protectedEnvironmentId === rule.id),
      ),
    );
  }
}

/** GitLab's `type`: a user entry keeps only its user, a group entry its group; `access_level` is for roles. */
function toEntry(dto: DeployAccessLevelDto): NewEntry {
  const groupInheritanceType = dto.group_inheritance_type ?? 0;
  if (dto.user_id !== undefined) return { accessLevel: null, userId: dto.user_id, groupId: null, groupInheritanceType };
  if (dto.group_id !== undefined) return { accessLevel: null, userId: null, groupId: dto.group_id, groupInheritanceType };
  return { accessLevel: dto.access_level!, userId: null, groupId: null, groupInheritanceType };
}

/** GitLab refuses a repeated role, user or group; Lanyard keeps one of each. */
function distinct(entries: NewEntry[]): NewEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = `${entry.accessLevel}:${entry.userId}:${entry.groupId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fromRow(row: Record<string, unknown>): PresentableEntry & { protectedEnvironmentId: number } {
  return {
    id: Number(row.id),
    protectedEnvironmentId: Number(row.protected_environment_id),
    accessLevel: row.access_level as PresentableEntry['accessLevel'],
    userId: row.user_id === null ? null : Number(row.user_id),
    groupId: row.group_id === null ? null : Number(row.group_id),
    groupInheritanceType: row.group_inheritance_type as PresentableEntry['groupInheritanceType'],
    userName: row.user_name as string | null,
    groupName: row.group_name as string | null,
  };
}
