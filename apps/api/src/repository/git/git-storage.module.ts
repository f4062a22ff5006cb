import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GitStorage } from './git-storage';

/** At start, clears the repositories of projects whose delete committed before the process could remove them. */
@Injectable()
class OrphanRepositories implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: GitStorage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.removeOrphans(async (projectIds) => {
      const rows: { id: string }[] = await this.db.query('SELECT id FROM projects WHERE id = ANY($1)', [projectIds]);
      return new Set(rows.map((row) => Number(row.id)));
    });
  }
}

/** The projects' git repositories, for every module that creates, reads, forks or deletes them. */
@Global()
@Module({ providers: [GitStorage, OrphanRepositories], exports: [GitStorage] })
export class GitStorageModule {}
