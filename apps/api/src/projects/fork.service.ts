import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel, forkVisibility, mayForkProject } from '@lanyard/access';
import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '../auth/caller';
import { ListProjectsQuery } from './dto/list-projects.query';
import { findNamespaceByFullPath } from '../routes/namespace-paths';
import { protectDefaultBranch } from '../repository/default-branch-protection';
import { RepositoryService } from '../repository/repository.service';
import { GitRef, GitStorage } from '../repository/git-storage';
import { ForkProjectDto } from './dto/fork-project.dto';
import { Project } from '../entities/project.entity';
import { ProjectsService } from './projects.service';
import { ProjectError } from './project-errors';

/** GitLab's `Projects::ForkService`: a new project holding a copy of the source's repository, linked to it. */
@Injectable()
export class ForkService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly projects: ProjectsService,
    private readonly repository: RepositoryService,
    private readonly storage: GitStorage,
  ) {}

  async fork(caller: Caller, source: Project, level: AccessLevel, dto: ForkProjectDto) {
    if (!mayForkProject({ level, admin: caller.user.admin }, source.visibility)) throw new ProjectError('FORK_FORBIDDEN');
    const fork = await this.db.transaction(async (tx) => {
      const namespace = await this.projects.namespaceFor(tx, caller, await this.targetNamespaceId(tx, dto));
      const visibility = forkVisibility(source.visibility, namespace.type === 'Group' ? namespace.visibility : null, dto.visibility);
      const created = await this.projects
        .createIn(tx, caller, namespace, {
          name: dto.name ?? source.name,
          path: dto.path ?? source.path,
          description: dto.description ?? source.description,
          visibility,
          buildTimeout: source.buildTimeout,
          forkedFromProjectId: source.id,
        })
        // GitLab answers a fork it cannot save with `409 Conflict` and the validation messages.
        .catch((error: unknown) => {
          throw error instanceof ProjectError && error.code === 'PATH_TAKEN' ? new ProjectError('FORK_PATH_TAKEN') : error;
        });
      const { defaultBranch, refs } = await copyRepository(tx, source.id, created.id);
      if (defaultBranch !== null) {
        await tx.query('UPDATE projects SET default_branch = $2 WHERE id = $1', [created.id, defaultBranch]);
        // GitLab's `Project#after_import` protects a fork's default branch; the source's own rules are not copied.
        await protectDefaultBranch(tx, this.repository, created.id, defaultBranch);
      }
      // Last, inside the transaction: a fork whose commit fails leaves a repository of no project, which the next start
      // removes; after the commit, a crash would leave a project whose index names refs its repository lacks.
      await this.storage.fork(source.id, created.id, refs);
      if (defaultBranch !== null) await this.storage.setHead(created.id, defaultBranch);
      return tx.getRepository(Project).findOneByOrFail({ id: created.id });
    });
    return this.projects.present(fork, caller.user);
  }

  /** The forks of a project that the caller may see, filtered and ordered as any project list (GitLab's `ForkProjectsFinder`). */
  forks(caller: Caller, source: Project, query: ListProjectsQuery) {
    return this.projects.list(caller, query, { forksOf: source });
  }

  /** `namespace_id`, else `namespace_path`, else the deprecated `namespace` (an id or a path); none: the caller's own. */
  private async targetNamespaceId(tx: EntityManager, dto: ForkProjectDto): Promise<number | undefined> {
    if (dto.namespace_id !== undefined) return dto.namespace_id;
    const path = dto.namespace_path ?? dto.namespace;
    if (path === undefined) return undefined;
    if (dto.namespace_path === undefined && /^[1-9][0-9]{0,17}$/.test(path)) return Number(path);
    const namespace = await findNamespaceByFullPath(tx, path);
    if (!namespace) throw new ProjectError('NAMESPACE_NOT_FOUND');
    return namespace.id;
  }
}

/**
 * Copies the database's index of branches, tags and commits (the git objects are borrowed through alternates, after
 * the commit); protection rules stay behind. Refs are read first: every commit they name already exists when the
 * commits are copied next, so a concurrent push to the source cannot leave a dangling ref.
 */
async function copyRepository(
  tx: EntityManager,
  sourceId: number,
  forkId: number,
): Promise<{ defaultBranch: string | null; refs: GitRef[] }> {
  const refs: { name: string; ref_type: GitRef['refType']; commit_sha: string }[] = await tx.query(
    `INSERT INTO repository_refs (project_id, name, ref_type, commit_sha, message)
     SELECT $2, name, ref_type, commit_sha, message FROM repository_refs WHERE project_id = $1
     RETURNING name, ref_type, commit_sha`,
    [sourceId, forkId],
  );
  await tx.query(
    `INSERT INTO repository_commits (project_id, sha, parent_sha, message, author_name, author_email, created_at, tree_indexed)
     SELECT $2, sha, parent_sha, message, author_name, author_email, created_at, tree_indexed FROM repository_commits WHERE project_id = $1`,
    [sourceId, forkId],
  );
  await tx.query(
    `INSERT INTO repository_files (commit_id, path, content, last_commit_sha)
     SELECT copy.id, f.path, f.content, f.last_commit_sha
       FROM repository_files f
       JOIN repository_commits original ON original.id = f.commit_id AND original.project_id = $1
       JOIN repository_commits copy ON copy.project_id = $2 AND copy.sha = original.sha`,
    [sourceId, forkId],
  );
  const [source]: { default_branch: string | null }[] = await tx.query(
    `SELECT p.default_branch FROM projects p
      WHERE p.id = $1 AND EXISTS (SELECT 1 FROM repository_refs r WHERE r.project_id = $2 AND r.ref_type = 'branch' AND r.name = p.default_branch)`,
    [sourceId, forkId],
  );
  return {
    defaultBranch: source?.default_branch ?? null,
    refs: refs.map((ref) => ({ refType: ref.ref_type, name: ref.name, sha: ref.commit_sha })),
  };
}
