import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GitStorage, indexedCommits } from '../git-storage';
import { convertLegacyHistory } from './legacy-history';

/**
 * At start, clears the repositories of projects whose delete committed before the process could remove them, and
 * converts the histories stored before repositories were git.
 */
@Injectable()
export class RepositoryStartup implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: GitStorage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.removeOrphans(async (projectIds) => {
      const rows: { id: string }[] = await this.db.query('SELECT id FROM projects WHERE id = ANY($1)', [projectIds]);
      return new Set(rows.map((row) => Number(row.id)));
    }, indexedCommits(this.db));
    await this.convertLegacyHistories();
  }

  /** Histories from before git (see the GitRepositories migration), one project a transaction; replicas share the work. */
  async convertLegacyHistories(): Promise<number> {
    let converted = 0;
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        const [next]: { project_id: string }[] = await tx.query(
          'SELECT project_id FROM repository_legacy_histories ORDER BY project_id LIMIT 1 FOR UPDATE SKIP LOCKED',
        );
        if (!next) return false;
        const projectId = Number(next.project_id);
        const git = await this.storage.open(projectId);
        await convertLegacyHistory(tx, git, projectId);
        const [project]: { default_branch: string | null }[] = await tx.query('SELECT default_branch FROM projects WHERE id = $1', [
          projectId,
        ]);
        if (project?.default_branch) await this.storage.setHead(projectId, project.default_branch);
        await tx.query('DELETE FROM repository_legacy_histories WHERE project_id = $1', [projectId]);
        return true;
      });
      if (!done) return converted;
      converted += 1;
    }
  }
}

/** The projects' git repositories, for every module that creates, reads, forks or deletes them. */
@Global()
@Module({ providers: [GitStorage, RepositoryStartup], exports: [GitStorage] })
export class GitStorageModule {}
