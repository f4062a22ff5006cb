import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isValidBranchOrTagName } from '@lanyard/git-refs';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { Page, PageQuery } from '../common/pagination';
import type { Project } from '../projects/project.entity';
import { CreateBranchDto } from './dto/branch.dto';
import type { RepositoryActor } from './repository-access.decorator';
import { PUSH_FORBIDDEN, repositoryError } from './repository-errors';
import { RepositoryRef } from './repository-ref.entity';
import { presentBranch } from './repository.presenter';
import { PushEvents } from './push-events';
import { RepositoryService } from './repository.service';

@Injectable()
export class BranchesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: RepositoryService,
    private readonly pushes: PushEvents,
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
    if (!ref) throw ApiError.notFound('Branch');
    return (await this.presentMany(this.db.manager, actor, project, [ref]))[0];
  }

  async create(actor: RepositoryActor, project: Project, dto: CreateBranchDto) {
    if (!isValidBranchOrTagName(dto.branch)) throw repositoryError('Branch name is invalid');
    const db = this.db.manager;
    if (await this.repository.findRef(db, project.id, 'branch', dto.branch)) throw repositoryError('Branch already exists');
    const target = await this.repository.resolveRevision(db, project.id, dto.ref);
    if (!target) throw repositoryError('Invalid reference name');
    if (!(await this.repository.protection(db, project.id, 'branch')).allowsPush(dto.branch, actor)) {
      throw repositoryError(PUSH_FORBIDDEN, 403);
    }
    // ON CONFLICT: a concurrent request creating the same branch gets GitLab's answer, not a unique-violation 409.
    const inserted: { id: number }[] = await db.query(
      `INSERT INTO repository_refs (project_id, name, ref_type, commit_sha) VALUES ($1, $2, 'branch', $3)
       ON CONFLICT (project_id, ref_type, name) DO NOTHING RETURNING id`,
      [project.id, dto.branch, target.sha],
    );
    if (!inserted.length) throw repositoryError('Branch already exists');
    await this.pushes.pushed(actor, project, { ref: dto.branch, refType: 'branch', sha: target.sha });
    const ref = await db.getRepository(RepositoryRef).findOneByOrFail({ id: inserted[0].id });
    return (await this.presentMany(db, actor, project, [ref]))[0];
  }

  async remove(project: Project, name: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const ref = await tx.getRepository(RepositoryRef).findOne({
        where: { projectId: project.id, refType: 'branch', name },
        lock: { mode: 'pessimistic_write' },
      });
      if (!ref) throw ApiError.notFound('Branch');
      const [{ default_branch: defaultBranch }]: { default_branch: string | null }[] = await tx.query(
        'SELECT default_branch FROM projects WHERE id = $1',
        [project.id],
      );
      if (name === defaultBranch) throw repositoryError("The default branch of a project can't be deleted", 403);
      if ((await this.repository.protection(tx, project.id, 'branch')).isProtected(name)) {
        throw repositoryError("Protected branch can't be removed", 403);
      }
      await tx.getRepository(RepositoryRef).delete(ref.id);
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
