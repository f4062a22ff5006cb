import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { refreshQueuedScope } from '../queue/pending-builds';
import { CLOCK, type Clock } from '../clock/clock';
import { retriedTransaction } from '../database/lock-conflicts';
import { exceedsVisibility } from '../common/visibility';
import { burnRoutes, projectRoutesUnder } from '../routes/burned-routes';
import { dropProjects } from '../projects/drop-projects';
import { GitStorage, indexedCommits } from '../repository/git-storage';
import { isGroupPathFree } from './group-path';
import { GroupsService, SUBGROUP_CREATION_LEVEL } from './groups.service';
import { Namespace } from '../entities/namespace.entity';
import { NamespaceError } from './namespace-errors';

/** Visibilities as numbers in SQL, to compare them (GitLab's levels 0, 10, 20). */
const rank = (column: string) => `(CASE ${column} WHEN 'public' THEN 20 WHEN 'internal' THEN 10 ELSE 0 END)`;

/** `POST /groups/:id/transfer` and `DELETE /groups/:id`; the group's owner (or an admin), checked by the guard. */
@Injectable()
export class GroupLifecycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly groups: GroupsService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly storage: GitStorage,
  ) {}

  /**
   * GitLab's `Groups::TransferService`, its checks in its order; then, in one transaction, the burn of every project
   * path below, the new parent, and the traversal ids of the group and every descendant (root → self).
   */
  async transfer(caller: Caller, target: Namespace, parentId: number | null | undefined) {
    const moved = await this.db.transaction(async (tx) => {
      const group = await this.lockSubtree(tx, target.id);
      const parent = parentId === undefined || parentId === null ? null : await this.visibleGroup(tx, caller, parentId);
      if (!parent && group.parentId === null) throw new NamespaceError('TRANSFER_ALREADY_ROOT');
      if (parent && parent.id === group.parentId) throw new NamespaceError('TRANSFER_ALREADY_IN_PARENT');
      if (parent && !caller.user.admin && (await this.access.levelOnGroup(caller.user, parent, tx)) < SUBGROUP_CREATION_LEVEL) {
        throw new NamespaceError('TRANSFER_PERMISSION_DENIED');
      }
      if (!(await isGroupPathFree(tx, group.path, parent?.id ?? null, group.id))) {
        throw new NamespaceError('TRANSFER_PATH_TAKEN');
      }
      if (parent?.traversalIds.includes(group.id)) throw new NamespaceError('TRANSFER_INTO_OWN_SUBGROUP');

      await burnRoutes(tx, await projectRoutesUnder(tx, group.id));
      if (parent && exceedsVisibility(group.visibility, parent.visibility)) await this.lowerVisibility(tx, group.id, parent.visibility);
      await tx.getRepository(Namespace).update(group.id, { parentId: parent?.id ?? null });
      await tx.query(
        `UPDATE namespaces SET traversal_ids = $1::bigint[] || traversal_ids[array_position(traversal_ids, $2::bigint):]
          WHERE $2 = ANY(traversal_ids)`,
        [parent?.traversalIds ?? [], group.id],
      );
      await refreshQueuedScope(tx, { groupId: group.id });
      return tx.getRepository(Namespace).findOneByOrFail({ id: group.id });
    });
    return this.groups.present(moved);
  }

  /** Deleted at once with everything below (GitLab may delay it), each project as `DELETE /projects/:id` does. */
  async delete(group: Namespace) {
    // Its projects' jobs go to failed while runners and users hold some of them: a lock cycle is tried again.
    const dropped = await retriedTransaction(this.db, async (tx) => {
      const projectIds = (await projectRoutesUnder(tx, group.id)).map((route) => route.projectId);
      const forkIds = await dropProjects(tx, projectIds, this.clock.now());
      await tx.query(
        `DELETE FROM members WHERE source_type = 'Namespace' AND source_id IN (SELECT id FROM namespaces WHERE $1 = ANY(traversal_ids))`,
        [group.id],
      );
      // Subgroups go by cascade (parent_id), with their runners, variables and settings.
      await tx.query('DELETE FROM namespaces WHERE id = $1', [group.id]);
      return { projectIds, forkIds };
    });
    await this.storage.remove(dropped.projectIds, dropped.forkIds, indexedCommits(this.db));
    return { message: '202 Accepted' };
  }

  /**
   * Locks the group and everything below it, and returns the group as it is now. A subgroup being created below
   * meanwhile (its parent read FOR SHARE) either commits first, and the traversal-id update, a later statement, sees
   * it, or waits for this transfer and reads the new ids.
   */
  private async lockSubtree(tx: EntityManager, groupId: number): Promise<Namespace> {
    await tx.query('SELECT id FROM namespaces WHERE $1 = ANY(traversal_ids) ORDER BY id FOR UPDATE', [groupId]);
    return tx.getRepository(Namespace).findOneByOrFail({ id: groupId });
  }

  /** GitLab's `find_group!`: 404 for a group the caller cannot see; read FOR SHARE so it cannot move meanwhile. */
  private async visibleGroup(tx: EntityManager, caller: Caller, id: number): Promise<Namespace> {
    const group = await tx.getRepository(Namespace).findOne({ where: { id, type: 'Group' }, lock: { mode: 'pessimistic_read' } });
    const visible =
      group &&
      (caller.user.admin ||
        group.visibility !== 'private' ||
        (await this.access.levelOnGroup(caller.user, group, tx)) >= AccessLevel.Guest);
    if (!group || !visible) throw new NamespaceError('TRANSFER_TARGET_NOT_FOUND');
    return group;
  }

  /** As GitLab: what moves below a less visible parent takes the parent's visibility, subgroups and projects alike. */
  private async lowerVisibility(tx: EntityManager, groupId: number, visibility: Namespace['visibility']): Promise<void> {
    await tx.query(`UPDATE namespaces SET visibility = $2 WHERE $1 = ANY(traversal_ids) AND ${rank('visibility')} > ${rank('$2')}`, [
      groupId,
      visibility,
    ]);
    await tx.query(
      `UPDATE projects p SET visibility = $2 FROM namespaces n
        WHERE n.id = p.namespace_id AND $1 = ANY(n.traversal_ids) AND ${rank('p.visibility')} > ${rank('$2')}`,
      [groupId, visibility],
    );
  }
}
