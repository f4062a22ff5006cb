import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel, decideAccess } from '@lanyard/access';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { CLOCK, type Clock } from '../clock/clock';
import { Page } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { loadProjectFullPath } from '../routes/project-full-path';
import { User } from '../entities/user.entity';
import { CreateMergeRequestDto, ListMergeRequestsQuery, UpdateMergeRequestDto } from './dto/merge-request.dto';
import { MergeRequest } from './merge-request.entity';
import { GitStorage } from '../repository/git-storage';
import { presentMergeRequest } from './merge-request.presenter';
import { MergeRequestError } from './merge-request-errors';

/** Opening, reading, closing and reopening merge requests; they live in (and are numbered by) the target project. */
@Injectable()
export class MergeRequestsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessService,
    private readonly repository: RepositoryService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly storage: GitStorage,
  ) {}

  /** `source`: the project named in the URL, where the caller is a developer (GitLab's `create_merge_request_from`). */
  async create(caller: Caller, source: Project, dto: CreateMergeRequestDto) {
    const created = await this.db.transaction(async (tx) => {
      const target = await this.targetOf(tx, caller, source, dto.target_project_id);
      if (target.id === source.id && dto.source_branch === dto.target_branch) throw new MergeRequestError('SAME_SOURCE_AND_TARGET');
      if (!(await this.repository.findRef(tx, source.id, 'branch', dto.source_branch))) {
        throw new MergeRequestError('SOURCE_BRANCH_MISSING', { branch: dto.source_branch });
      }
      if (!(await this.repository.findRef(tx, target.id, 'branch', dto.target_branch))) {
        throw new MergeRequestError('TARGET_BRANCH_MISSING', { branch: dto.target_branch });
      }
      // The target's row lock numbers its merge requests one after another.
      await tx.query('SELECT 1 FROM projects WHERE id = $1 FOR NO KEY UPDATE', [target.id]);
      await assertNoOpenDuplicate(tx, {
        sourceProjectId: source.id,
        targetProjectId: target.id,
        sourceBranch: dto.source_branch,
        targetBranch: dto.target_branch,
      });
      const [{ iid }]: { iid: number }[] = await tx.query(
        'SELECT coalesce(max(iid), 0) + 1 AS iid FROM merge_requests WHERE target_project_id = $1',
        [target.id],
      );
      const repository = tx.getRepository(MergeRequest);
      return repository.save(
        repository.create({
          iid,
          targetProjectId: target.id,
          sourceProjectId: source.id,
          sourceBranch: dto.source_branch,
          targetBranch: dto.target_branch,
          title: dto.title,
          description: dto.description ?? '',
          state: 'opened',
          authorId: caller.user.id,
          closedById: null,
          closedAt: null,
        }),
      );
    });
    await this.storage.updateMergeRequestHead(created.targetProjectId, source.id, created.sourceBranch, created.iid);
    return (await this.presentMany([created]))[0];
  }

  async show(caller: Caller, target: Project, level: AccessLevel, iid: number) {
    assertMayRead(caller, target, level);
    return (await this.presentMany([await this.find(this.db.manager, target, iid)]))[0];
  }

  async list(caller: Caller, target: Project, level: AccessLevel, query: ListMergeRequestsQuery) {
    assertMayRead(caller, target, level);
    const where = {
      targetProjectId: target.id,
      ...(query.state && query.state !== 'all' ? { state: query.state } : {}),
      ...(query.source_branch !== undefined ? { sourceBranch: query.source_branch } : {}),
      ...(query.target_branch !== undefined ? { targetBranch: query.target_branch } : {}),
    };
    const [rows, total] = await this.db
      .getRepository(MergeRequest)
      .findAndCount({ where, order: { id: 'DESC' }, skip: query.offset, take: query.per_page });
    return new Page(await this.presentMany(rows), total, query);
  }

  /** GitLab's `update_merge_request`: the author, or a developer of the target. */
  async update(caller: Caller, target: Project, level: AccessLevel, iid: number, dto: UpdateMergeRequestDto) {
    assertMayRead(caller, target, level);
    const updated = await this.db.transaction(async (tx) => {
      const mr = await this.find(tx, target, iid, true);
      if (!caller.user.admin && level < AccessLevel.Developer && mr.authorId !== caller.user.id)
        throw new MergeRequestError('UPDATE_FORBIDDEN');
      const changes: Partial<MergeRequest> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.state_event === 'close' && mr.state === 'opened')
        Object.assign(changes, { state: 'closed', closedById: caller.user.id, closedAt: this.clock.now() });
      if (dto.state_event === 'reopen' && mr.state === 'closed') {
        await assertNoOpenDuplicate(tx, mr);
        Object.assign(changes, { state: 'opened', closedById: null, closedAt: null });
      }
      if (Object.keys(changes).length) await tx.getRepository(MergeRequest).update(mr.id, { ...changes, updatedAt: this.clock.now() });
      return tx.getRepository(MergeRequest).findOneByOrFail({ id: mr.id });
    });
    return (await this.presentMany([updated]))[0];
  }

  /** The merge request numbered `iid` in `target`, or 404 as GitLab. */
  async find(db: EntityManager, target: Project, iid: number, lock = false): Promise<MergeRequest> {
    const mr = await db.getRepository(MergeRequest).findOne({
      where: { targetProjectId: target.id, iid },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!mr) throw new MergeRequestError('MERGE_REQUEST_NOT_FOUND');
    return mr;
  }

  /** The project itself, or the project it was forked from and the caller can see (GitLab's `validate_fork`). */
  private async targetOf(tx: EntityManager, caller: Caller, source: Project, targetId: number | undefined): Promise<Project> {
    if (targetId === undefined || targetId === source.id) return source;
    const target = await tx.getRepository(Project).findOneBy({ id: targetId });
    if (!target) throw new MergeRequestError('TARGET_PROJECT_NOT_FOUND');
    const level = await this.access.levelOnProject(caller.user, target, tx);
    if (decideAccess({ level, admin: caller.user.admin, visibility: target.visibility, required: AccessLevel.NoAccess }) !== 'allow') {
      throw new MergeRequestError('TARGET_PROJECT_NOT_FOUND');
    }
    if (source.forkedFromProjectId !== target.id) throw new MergeRequestError('NOT_A_FORK_OF_TARGET');
    return target;
  }

  private async presentMany(mrs: MergeRequest[]) {
    const db = this.db.manager;
    const userIds = [...new Set(mrs.flatMap((mr) => [mr.authorId, mr.closedById]).filter((id): id is number => id !== null))];
    const users = new Map((userIds.length ? await db.getRepository(User).findBy({ id: In(userIds) }) : []).map((user) => [user.id, user]));
    const targetPaths = new Map<number, string>();
    const presented = [];
    for (const mr of mrs) {
      let targetFullPath = targetPaths.get(mr.targetProjectId);
      if (targetFullPath === undefined) {
        const target = await db.getRepository(Project).findOneByOrFail({ id: mr.targetProjectId });
        targetFullPath = await loadProjectFullPath(db, target);
        targetPaths.set(mr.targetProjectId, targetFullPath);
      }
      const head = mr.sourceProjectId === null ? null : await this.repository.findRef(db, mr.sourceProjectId, 'branch', mr.sourceBranch);
      presented.push(
        presentMergeRequest(mr, {
          targetFullPath,
          targetWebUrl: `${this.config.externalUrl}/${targetFullPath}`,
          sha: head?.commitSha ?? null,
          author: mr.authorId === null ? null : (users.get(mr.authorId) ?? null),
          closedBy: mr.closedById === null ? null : (users.get(mr.closedById) ?? null),
          externalUrl: this.config.externalUrl,
        }),
      );
    }
    return presented;
  }
}

/** GitLab's `read_merge_request`: reporters, or anyone who sees a public or internal project. */
export function assertMayRead(caller: Caller, target: Project, level: AccessLevel): void {
  if (!caller.user.admin && level < AccessLevel.Reporter && target.visibility === 'private') throw new MergeRequestError('READ_FORBIDDEN');
}

async function assertNoOpenDuplicate(
  tx: EntityManager,
  mr: Pick<MergeRequest, 'sourceProjectId' | 'targetProjectId' | 'sourceBranch' | 'targetBranch'>,
): Promise<void> {
  const [open]: { iid: number }[] = await tx.query(
    `SELECT iid FROM merge_requests
      WHERE target_project_id = $1 AND source_project_id = $2 AND source_branch = $3 AND target_branch = $4 AND state = 'opened'
      LIMIT 1`,
    [mr.targetProjectId, mr.sourceProjectId, mr.sourceBranch, mr.targetBranch],
  );
  if (open) throw new MergeRequestError('OPEN_DUPLICATE', { iid: open.iid });
}
