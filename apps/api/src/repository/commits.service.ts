import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Project } from '../entities/project.entity';
import { presentCommit } from './repository.presenter';
import { RepositoryService } from './repository.service';
import { RepositoryError } from './repository-errors';

@Injectable()
export class CommitsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: RepositoryService,
  ) {}

  /** `sha` may be a full or abbreviated sha, a branch or a tag, as GitLab's API. */
  async show(project: Project, sha: string) {
    const db = this.db.manager;
    const revision = await this.repository.resolveRevision(db, project.id, sha);
    const commit = revision && (await this.repository.findCommit(db, project.id, revision.sha));
    if (!commit) throw new RepositoryError('COMMIT_NOT_FOUND');
    return presentCommit(commit, await this.repository.projectWebUrl(db, project));
  }
}
