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
import { Namespace } from '../entities/namespace.entity';
import { findNamespaceByFullPath, parseIdOrPath } from '../routes/namespace-paths';
import { burnRoutes, projectRoutes } from '../routes/burned-routes';
import { dropProjects } from './drop-projects';
import { GitStorage, indexedCommits } from '../repository/git-storage';
import { Project } from '../entities/project.entity';
import { ProjectsService } from './projects.service';
import { ProjectError } from './project-errors';

/** GitLab's `transfer_projects` on a group: maintainers, as creating a project there (`GroupPolicy`). */
const TRANSFER_INTO_GROUP_LEVEL = AccessLevel.Maintainer;

/** `PUT /projects/:id/transfer` and `DELETE /projects/:id`; the project's owner (or an admin), checked by the guard. */
@Injectable()
export class ProjectLifecycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly projects: ProjectsService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly storage: GitStorage,
  ) {}

  /** GitLab's `Projects::TransferService`, its checks in its order, in one transaction with the burn of the old path. */
  async transfer(caller: Caller, current: Project, namespaceRef: string) {
    const moved = await this.db.transaction(async (tx) => {
      // As it is now, and locked: a concurrent rename or transfer of the same project waits for this one.
      const project = await tx.getRepository(Project).findOneOrFail({ where: { id: current.id }, lock: { mode: 'pessimistic_write' } });
      const target = await this.visibleNamespace(tx, caller, namespaceRef);
      if (target.id === project.namespaceId) throw new ProjectError('TRANSFER_SAME_NAMESPACE');
      if (!(await this.mayTransferInto(tx, caller, target))) throw new ProjectError('TRANSFER_PERMISSION_DENIED');
      const clash: unknown[] = await tx.query(
        `SELECT 1 FROM projects WHERE namespace_id = $1 AND (lower(path) = lower($2) OR name = $3)
         UNION ALL SELECT 1 FROM namespaces WHERE parent_id = $1 AND lower(path) = lower($2)`,
        [target.id, project.path, project.name],
      );
      if (clash.length) throw new ProjectError('TRANSFER_NAME_OR_PATH_TAKEN');
      await burnRoutes(tx, await projectRoutes(tx, [project.id]));
      // As GitLab: a project more visible than its new group takes the group's visibility.
      const visibility =
        target.type === 'Group' && exceedsVisibility(project.visibility, target.visibility) ? target.visibility : project.visibility;
      await tx.getRepository(Project).update(project.id, { namespaceId: target.id, visibility });
      await refreshQueuedScope(tx, { projectId: project.id });
      return tx.getRepository(Project).findOneByOrFail({ id: project.id });
    });
    return this.projects.present(moved, caller.user);
  }

  /**
   * Deleted at once, where GitLab (depending on tier and version) may first mark the project for deletion and remove
   * it days later. 202 as GitLab, whose API answers before its worker runs. The path is burned in the same transaction.
   */
  async delete(project: Project) {
    // Its jobs go to failed in heap order while runners and users hold some of them: a lock cycle is tried again.
    const forkIds = await retriedTransaction(this.db, (tx) => dropProjects(tx, [project.id], this.clock.now()));
    await this.storage.remove([project.id], forkIds, indexedCommits(this.db));
    return { message: '202 Accepted' };
  }

  /** GitLab's `find_namespace!`: by id or full path, 404 unless the caller may see it (a user's own, or a group). */
  private async visibleNamespace(tx: EntityManager, caller: Caller, ref: string): Promise<Namespace> {
    const key = parseIdOrPath(ref);
    const namespace = !key
      ? null
      : 'id' in key
        ? await tx.getRepository(Namespace).findOneBy({ id: key.id })
        : await findNamespaceByFullPath(tx, key.path);
    if (!namespace || !(caller.user.admin || (await this.maySee(tx, caller, namespace)))) throw new ProjectError('NAMESPACE_NOT_FOUND');
    return namespace;
  }

  private async maySee(tx: EntityManager, caller: Caller, namespace: Namespace): Promise<boolean> {
    if (namespace.type === 'User') return namespace.ownerId === caller.user.id;
    return namespace.visibility !== 'private' || (await this.access.levelOnGroup(caller.user, namespace, tx)) >= AccessLevel.Guest;
  }

  /** GitLab's `transfer_projects`: a user's own namespace, or a group they may create projects in. */
  private async mayTransferInto(tx: EntityManager, caller: Caller, target: Namespace): Promise<boolean> {
    if (caller.user.admin) return true;
    if (target.type === 'User') return target.ownerId === caller.user.id;
    return (await this.access.levelOnGroup(caller.user, target, tx)) >= TRANSFER_INTO_GROUP_LEVEL;
  }
}
