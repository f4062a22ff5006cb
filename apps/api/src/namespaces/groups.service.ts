import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { CiSettingsService, withWarnings } from '../ci-settings/ci-settings.service';
import { CLOCK, type Clock } from '../clock/clock';
import { Page } from '../common/pagination';
import { ListGroupsQuery } from './dto/list-groups.query';
import { groupListSql } from './group-list';
import { exceedsVisibility } from '../common/visibility';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Member } from '../entities/member.entity';
import { CreateGroupDto } from './dto/create-group.dto';
import { UpdateGroupDto } from './dto/update-group.dto';
import { assertGroupPathFree, changeGroupPath } from './group-path';
import { Namespace } from '../entities/namespace.entity';
import { loadNamespacePath, loadNamespacePaths } from '../routes/namespace-paths';
import { presentGroup } from './namespace.presenter';
import { visibleToSql } from '../auth/visible-to';
import { NamespaceError } from './namespace-errors';

/** Groups may create subgroups only below this level. */
export const SUBGROUP_CREATION_LEVEL = AccessLevel.Maintainer;

@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessService,
    private readonly ciSettings: CiSettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(caller: Caller, dto: CreateGroupDto) {
    const group = await this.db.transaction(async (tx) => {
      const parent = dto.parent_id === undefined ? null : await this.parentFor(tx, caller, dto.parent_id);
      const visibility = dto.visibility ?? 'private';
      if (parent && exceedsVisibility(visibility, parent.visibility)) {
        throw new NamespaceError('VISIBILITY_ABOVE_PARENT', { visibility, parentVisibility: parent.visibility });
      }
      await assertGroupPathFree(tx, dto.path, parent?.id ?? null, null);
      const repository = tx.getRepository(Namespace);
      const created = await repository.save(
        repository.create({
          name: dto.name,
          path: dto.path,
          type: 'Group',
          parentId: parent?.id ?? null,
          ownerId: null,
          traversalIds: [],
          visibility,
          description: dto.description ?? '',
        }),
      );
      created.traversalIds = [...(parent?.traversalIds ?? []), created.id];
      await repository.update(created.id, { traversalIds: created.traversalIds });
      await tx
        .getRepository(Member)
        .insert({ userId: caller.user.id, sourceType: 'Namespace', sourceId: created.id, accessLevel: AccessLevel.Owner });
      return created;
    });
    return this.present(group);
  }

  async present(group: Namespace) {
    return {
      ...presentGroup(group, await loadNamespacePath(this.db.manager, group), this.config.externalUrl),
      ci_id_token_sub_claim_components: await this.ciSettings.groupSubClaimComponents(this.db.manager, group.id),
    };
  }

  async update(group: Namespace, dto: UpdateGroupDto) {
    let warnings: string[] = [];
    const updated = await this.db.transaction(async (tx) => {
      if (dto.visibility !== undefined) await this.assertVisibilityFits(tx, group, dto.visibility);
      if (dto.path !== undefined) await changeGroupPath(tx, group, dto.path);
      const changes: Partial<Namespace> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.visibility !== undefined) changes.visibility = dto.visibility;
      if (dto.description !== undefined) changes.description = dto.description;
      if (Object.keys(changes).length) await tx.getRepository(Namespace).update(group.id, changes);
      if (dto.ci_id_token_sub_claim_components !== undefined)
        warnings = await this.ciSettings.updateGroup(tx, group.id, dto.ci_id_token_sub_claim_components);
      return tx.getRepository(Namespace).findOneByOrFail({ id: group.id });
    });
    return withWarnings(await this.present(updated), warnings);
  }

  async list(caller: Caller, query: ListGroupsQuery, parentId?: number) {
    const visible = visibleToSql(caller.user, this.clock.now(), 'n.traversal_ids', 'n.visibility', 1);
    const params: unknown[] = [caller.user.id];
    let where = `n.type = 'Group' AND ${visible}`;
    if (parentId !== undefined) where += ` AND n.parent_id = $${params.push(parentId)}`;
    const filters = groupListSql(query, caller.user, this.clock.now(), params, parentId !== undefined);
    where += filters.where;
    const [{ count }]: { count: string }[] = await this.db.query(`SELECT count(*) FROM namespaces n WHERE ${where}`, params);
    const rows: { id: string }[] = await this.db.query(
      `SELECT n.id FROM namespaces n WHERE ${where} ORDER BY ${filters.order} LIMIT ${query.per_page} OFFSET ${query.offset}`,
      params,
    );
    const ids = rows.map(({ id }) => Number(id));
    const found = ids.length ? await this.db.getRepository(Namespace).findBy({ id: In(ids) }) : [];
    const byId = new Map(found.map((group) => [group.id, group]));
    const groups = ids.map((id) => byId.get(id)!);
    const paths = await loadNamespacePaths(this.db.manager, groups);
    return new Page(
      groups.map((group) => presentGroup(group, paths.get(group.id)!, this.config.externalUrl)),
      Number(count),
      query,
    );
  }

  private async parentFor(tx: EntityManager, caller: Caller, parentId: number): Promise<Namespace> {
    // FOR SHARE: a transfer moving the parent meanwhile finishes first, so the new group's traversal ids are current.
    const parent = await tx
      .getRepository(Namespace)
      .findOne({ where: { id: parentId, type: 'Group' }, lock: { mode: 'pessimistic_read' } });
    const level = parent ? await this.access.levelOnGroup(caller.user, parent, tx) : AccessLevel.NoAccess;
    const visible = parent && (caller.user.admin || level >= AccessLevel.Guest || parent.visibility !== 'private');
    if (!parent || !visible) throw new NamespaceError('PARENT_GROUP_NOT_FOUND');
    if (!caller.user.admin && level < SUBGROUP_CREATION_LEVEL) throw new NamespaceError('SUBGROUP_CREATION_FORBIDDEN');
    return parent;
  }

  private async assertVisibilityFits(tx: EntityManager, group: Namespace, visibility: Namespace['visibility']) {
    if (group.parentId !== null) {
      const parent = await tx.getRepository(Namespace).findOneByOrFail({ id: group.parentId });
      if (exceedsVisibility(visibility, parent.visibility)) {
        throw new NamespaceError('VISIBILITY_ABOVE_PARENT', { visibility, parentVisibility: parent.visibility });
      }
    }
    const moreVisible: unknown[] = await tx.query(
      `SELECT 1 FROM namespaces WHERE $1 = ANY(traversal_ids) AND id <> $1 AND
         (CASE visibility WHEN 'public' THEN 20 WHEN 'internal' THEN 10 ELSE 0 END) > (CASE $2 WHEN 'public' THEN 20 WHEN 'internal' THEN 10 ELSE 0 END)
       UNION ALL
       SELECT 1 FROM projects p JOIN namespaces n ON n.id = p.namespace_id WHERE $1 = ANY(n.traversal_ids) AND
         (CASE p.visibility WHEN 'public' THEN 20 WHEN 'internal' THEN 10 ELSE 0 END) > (CASE $2 WHEN 'public' THEN 20 WHEN 'internal' THEN 10 ELSE 0 END)
       LIMIT 1`,
      [group.id, visibility],
    );
    if (moreVisible.length) throw new NamespaceError('VISIBILITY_BELOW_DESCENDANTS', { visibility });
  }
}
