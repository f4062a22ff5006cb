import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isValidBranchOrTagName } from '@lanyard/git-refs';
import { DataSource, EntityManager } from 'typeorm';
import { Page, PageQuery } from '../common/pagination';
import type { Project } from '../entities/project.entity';
import { CreateBranchDto } from './dto/branch.dto';
import type { RepositoryActor } from './repository-access.decorator';
import { RepositoryError } from './repository-errors';
import { RepositoryRef } from './repository-ref.entity';
import { presentBranch } from './repository.presenter';
import { PushEvents } from './push-events';
import { branchRef, compareAndSwapRef } from './git/git-objects';
import { GitStorage } from './git-storage';
import { RefWrites } from './git/ref-writes';
import { RepositoryService } from './repository.service';

@Injectable()
export class BranchesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: RepositoryService,
    private readonly pushes: PushEvents,
    private readonly storage: GitStorage,
    private readonly refs: RefWrites,
  ) {}

  async list(actor: RepositoryActor, project: Project, page: PageQuery) {
    const [refs, total] = await this.db.getRepository(RepositoryRef).findAndCount({
      where: { projectId: project.id, refType: 'branch' },
      order: { name: 'ASC' },
      skip: page.offset,
      take: page.per_page,
    });
    return new Page(await this.presentMany(this.db.manager, actor, project, refs), total, page);
  }

  async show(actor: RepositoryActor, project: Project, name: string) {
    const ref = await this.repository.findRef(this.db.manager, project.id, 'branch', name);
    if (!ref) throw new RepositoryError('BRANCH_NOT_FOUND');
    return (await this.presentMany(this.db.manager, actor, project, [ref]))[0];
  }

  async create(actor: RepositoryActor, project: Project, dto: CreateBranchDto) {
    if (!isValidBranchOrTagName(dto.branch)) throw new RepositoryError('BRANCH_NAME_INVALID');
    const db = this.db.manager;
    if (await this.repository.findRef(db, project.id, 'branch', dto.branch)) throw new RepositoryError('BRANCH_EXISTS');
    const target = await this.repository.resolveRevision(db, project.id, dto.ref);
    if (!target) throw new RepositoryError('BRANCH_START_INVALID');
    if (!(await this.repository.protection(db, project.id, 'branch')).allowsPush(dto.branch, actor)) {
      throw new RepositoryError('PUSH_FORBIDDEN');
    }
    const git = await this.storage.open(project.id);
    const inserted = await this.refs.transaction(project.id, async (tx) => {
      // ON CONFLICT: a concurrent request creating the same branch gets GitLab's answer, not a unique-violation 409.
      const rows: { id: number }[] = await tx.query(
        `INSERT INTO repository_refs (project_id, name, ref_type, commit_sha) VALUES ($1, $2, 'branch', $3)
         ON CONFLICT (project_id, ref_type, name) DO NOTHING RETURNING id`,
        [project.id, dto.branch, target.sha],
      );
      if (!rows.length || !(await compareAndSwapRef(git, branchRef(dto.branch), target.sha, null))) {
        throw new RepositoryError('BRANCH_EXISTS');
      }
      return rows;
    });
    await this.pushes.pushed(actor, project, { ref: dto.branch, refType: 'branch', sha: target.sha });
    const ref = await db.getRepository(RepositoryRef).findOneByOrFail({ id: inserted[0].id });
    return (await this.presentMany(db, actor, project, [ref]))[0];
  }

  async remove(project: Project, name: string): Promise<void> {
    await this.refs.transaction(project.id, async (tx) => {
      const ref = await tx.getRepository(RepositoryRef).findOne({
        where: { projectId: project.id, refType: 'branch', name },
        lock: { mode: 'pessimistic_write' },
      });
      if (!ref) throw new RepositoryError('BRANCH_NOT_FOUND');
      const [{ default_branch: defaultBranch }]: { default_branch: string | null }[] = await tx.query(
        'SELECT default_branch FROM projects WHERE id = $1',
        [project.id],
      );
      if (name === defaultBranch) throw new RepositoryError('DEFAULT_BRANCH_UNDELETABLE');
      if ((await this.repository.protection(tx, project.id, 'branch')).isProtected(name)) {
        throw new RepositoryError('PROTECTED_BRANCH_UNDELETABLE');
      }
      await tx.getRepository(RepositoryRef).delete(ref.id);
      const git = await this.storage.open(project.id);
      if (!(await compareAndSwapRef(git, branchRef(name), null, ref.commitSha))) throw new RepositoryError('REF_MOVED');
    });
  }

  private async presentMany(db: EntityManager, actor: RepositoryActor, project: Project, refs: RepositoryRef[]) {
    const commits = await this.repository.findCommits(
      db,
      project.id,
      refs.map((ref) => ref.commitSha),
    );
    const protection = await this.repository.protection(db, project.id, 'branch');
    const webUrl = await this.repository.projectWebUrl(db, project);
    return refs.map((ref) =>
      presentBranch(
        ref,
        commits.get(ref.commitSha)!,
        {
          isDefault: ref.name === project.defaultBranch,
          isProtected: protection.isProtected(ref.name),
          developersCanPush: protection.developersCan('push', ref.name),
          developersCanMerge: protection.developersCan('merge', ref.name),
          canPush: protection.allowsPush(ref.name, actor),
        },
        webUrl,
      ),
    );
  }
}
