import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isValidBranchOrTagName } from '@lanyard/git-refs';
import { DataSource, EntityManager } from 'typeorm';
import { Page, PageQuery } from '../common/pagination';
import type { Project } from '../entities/project.entity';
import { CreateTagDto } from './dto/tag.dto';
import type { RepositoryActor } from './repository-access.decorator';
import { RepositoryError } from './repository-errors';
import { RepositoryRef } from './repository-ref.entity';
import { presentTag } from './repository.presenter';
import { PushEvents } from './push-events';
import { CLOCK, type Clock } from '../clock/clock';
import { compareAndSwapRef, readRef, tagRef, writeTagObject } from './git/git-objects';
import { GitStorage } from './git-storage';
import { RefWrites } from './git/ref-writes';
import { RepositoryService } from './repository.service';

@Injectable()
export class TagsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: RepositoryService,
    private readonly pushes: PushEvents,
    private readonly storage: GitStorage,
    private readonly refs: RefWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(project: Project, page: PageQuery) {
    const [refs, total] = await this.db.getRepository(RepositoryRef).findAndCount({
      where: { projectId: project.id, refType: 'tag' },
      order: { name: 'ASC' },
      skip: page.offset,
      take: page.per_page,
    });
    return new Page(await this.presentMany(this.db.manager, project, refs), total, page);
  }

  async show(project: Project, name: string) {
    const ref = await this.repository.findRef(this.db.manager, project.id, 'tag', name);
    if (!ref) throw new RepositoryError('TAG_NOT_FOUND');
    return (await this.presentMany(this.db.manager, project, [ref]))[0];
  }

  async create(actor: RepositoryActor, project: Project, dto: CreateTagDto) {
    if (!isValidBranchOrTagName(dto.tag_name)) throw new RepositoryError('TAG_NAME_INVALID');
    const db = this.db.manager;
    if (await this.repository.findRef(db, project.id, 'tag', dto.tag_name)) throw new RepositoryError('TAG_EXISTS', { name: dto.tag_name });
    const target = await this.repository.resolveRevision(db, project.id, dto.ref);
    if (!target) throw new RepositoryError('TAG_TARGET_INVALID', { ref: dto.ref });
    await this.assertAllowed(db, actor, project, dto.tag_name, 'create');
    const git = await this.storage.open(project.id);
    const inserted = await this.refs.transaction(project.id, async (tx) => {
      const rows: { id: number }[] = await tx.query(
        `INSERT INTO repository_refs (project_id, name, ref_type, commit_sha, message) VALUES ($1, $2, 'tag', $3, $4)
         ON CONFLICT (project_id, ref_type, name) DO NOTHING RETURNING id`,
        [project.id, dto.tag_name, target.sha, dto.message || null],
      );
      // A message makes an annotated tag object, as `git tag -a`; without one the tag names the commit (lightweight).
      const object = dto.message
        ? await writeTagObject(git, dto.tag_name, target.sha, dto.message, {
            name: actor.user.name,
            email: actor.user.email,
            at: this.clock.now(),
          })
        : target.sha;
      if (!rows.length || !(await compareAndSwapRef(git, tagRef(dto.tag_name), object, null))) {
        throw new RepositoryError('TAG_EXISTS', { name: dto.tag_name });
      }
      return rows;
    });
    await this.pushes.pushed(actor, project, { ref: dto.tag_name, refType: 'tag', sha: target.sha });
    const ref = await db.getRepository(RepositoryRef).findOneByOrFail({ id: inserted[0].id });
    return (await this.presentMany(db, project, [ref]))[0];
  }

  /** Deleting a protected tag takes the same right as creating it. */
  async remove(actor: RepositoryActor, project: Project, name: string): Promise<void> {
    await this.refs.transaction(project.id, async (tx) => {
      const ref = await tx.getRepository(RepositoryRef).findOne({
        where: { projectId: project.id, refType: 'tag', name },
        lock: { mode: 'pessimistic_write' },
      });
      if (!ref) throw new RepositoryError('TAG_NOT_FOUND');
      await this.assertAllowed(tx, actor, project, name, 'delete');
      await tx.getRepository(RepositoryRef).delete(ref.id);
      const git = await this.storage.open(project.id);
      const object = await readRef(git, tagRef(name));
      if (object !== null && !(await compareAndSwapRef(git, tagRef(name), null, object))) throw new RepositoryError('REF_MOVED');
    });
  }

  private async assertAllowed(db: EntityManager, actor: RepositoryActor, project: Project, name: string, action: 'create' | 'delete') {
    const protection = await this.repository.protection(db, project.id, 'tag');
    if (!protection.allowsPush(name, actor)) throw new RepositoryError('PROTECTED_TAG_FORBIDDEN', { action });
  }

  private async presentMany(db: EntityManager, project: Project, refs: RepositoryRef[]) {
    const commits = await this.repository.findCommits(
      db,
      project.id,
      refs.map((ref) => ref.commitSha),
    );
    const protection = await this.repository.protection(db, project.id, 'tag');
    const webUrl = await this.repository.projectWebUrl(db, project);
    return refs.map((ref) => presentTag(ref, commits.get(ref.commitSha)!, protection.isProtected(ref.name), webUrl));
  }
}
