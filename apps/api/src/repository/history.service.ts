import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page } from '../common/pagination';
import type { Project } from '../entities/project.entity';
import { CommitsQuery, TreeQuery } from './dto/history.dto';
import { GitStorage } from './git-storage';
import { presentCommit } from './repository.presenter';
import { RepositoryError } from './repository-errors';
import { RepositoryService } from './repository.service';

/** A path as clients name it: relative, no `.`/`..` segments; git reads it literally (no pathspec magic). */
function normalizePath(path: string | undefined): string | null {
  const trimmed = (path ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  return trimmed.split('/').some((segment) => segment === '' || segment === '.' || segment === '..') ? null : trimmed;
}

/** The commit history and trees, read from git (GitLab's `GET …/repository/commits` and `…/tree`). */
@Injectable()
export class HistoryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: RepositoryService,
    private readonly storage: GitStorage,
  ) {}

  async commits(project: Project, query: CommitsQuery) {
    const path = normalizePath(query.path);
    const sha = await this.revision(project, query.ref_name);
    if (path === null || sha === null) return new Page([], 0, query);
    const git = await this.storage.open(project.id);
    const limit = path ? ['--', `:(literal)${path}`] : [];
    // The index may know a commit git lacks (see ensureTreeIndexed): a 404, not git's `bad object` as a 500.
    const counted = await git.text(['rev-list', '--count', sha, ...limit]).catch(async (error: unknown) => {
      if (!(await git.test(['cat-file', '-e', `${sha}^{commit}`]))) throw new RepositoryError('COMMIT_NOT_FOUND');
      throw error;
    });
    const total = Number(counted);
    const shas = (await git.text(['rev-list', `--skip=${query.offset}`, `--max-count=${query.per_page}`, sha, ...limit]))
      .split('\n')
      .filter(Boolean);
    const db = this.db.manager;
    const commits = await this.repository.findCommits(db, project.id, shas);
    const webUrl = await this.repository.projectWebUrl(db, project);
    return new Page(
      shas.flatMap((id) => (commits.has(id) ? [presentCommit(commits.get(id)!, webUrl)] : [])),
      total,
      query,
    );
  }

  async tree(project: Project, query: TreeQuery) {
    const path = normalizePath(query.path);
    const sha = await this.revision(project, query.ref);
    if (path === null || sha === null) throw new RepositoryError('TREE_NOT_FOUND');
    const git = await this.storage.open(project.id);
    const args = ['ls-tree', '-z', ...(query.recursive ? ['-r', '-t'] : []), `${sha}:${path}`];
    const listing = await git.run(args).catch(() => null);
    if (listing === null) throw new RepositoryError('TREE_NOT_FOUND');
    const entries = listing
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((entry) => {
        const tab = entry.indexOf('\t');
        const [mode, type, id] = entry.slice(0, tab).split(' ');
        const relative = entry.slice(tab + 1);
        const full = path ? `${path}/${relative}` : relative;
        return { id, name: full.slice(full.lastIndexOf('/') + 1), type, path: full, mode };
      });
    return new Page(entries.slice(query.offset, query.offset + query.per_page), entries.length, query);
  }

  private async revision(project: Project, ref: string | undefined): Promise<string | null> {
    const name = ref ?? project.defaultBranch;
    if (name === null) return null;
    return (await this.repository.resolveRevision(this.db.manager, project.id, name))?.sha ?? null;
  }
}
