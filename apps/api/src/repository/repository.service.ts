import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { loadProjectFullPath } from '../routes/project-full-path';
import type { Project } from '../entities/project.entity';
import { ProtectedRef } from './protected-ref.entity';
import { RefProtection } from '@lanyard/git-refs';
import { RepositoryCommit } from './repository-commit.entity';
import { GitStorage } from './git-storage';
import { ensureTreeIndexed } from './git/tree-index';
import { RefType, RepositoryRef } from './repository-ref.entity';

export interface ResolvedRef {
  readonly sha: string;
  readonly refType: RefType;
  readonly name: string;
}

/** A revision as a client names it: a branch, a tag, or a commit sha (full, or an unambiguous prefix). */
export interface ResolvedRevision {
  readonly sha: string;
  readonly refType: RefType | 'commit';
}

export interface RepositoryFile {
  readonly content: Buffer;
  readonly commitSha: string;
  readonly refType: RefType | 'commit';
  /** The commit that last changed this path, at or before `commitSha`. */
  readonly lastCommitSha: string;
}

const FULL_SHA = /^[0-9a-fA-F]{40}$/;
const SHORT_SHA = /^[0-9a-fA-F]{7,39}$/;

/**
 * Reading the repository: refs, commits, files and protection. Every method takes the EntityManager to run on, so
 * callers inside a transaction (pipeline creation reading `.gitlab-ci.yml`) stay on their own connection.
 */
@Injectable()
export class RepositoryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: GitStorage,
  ) {}

  /**
   * Makes the commit's tree readable in repository_files (a push writes only its tips'): every reader of a tree calls
   * this first. Outside a transaction, the indexing gets one of its own.
   */
  async ensureTree(db: EntityManager, projectId: number, sha: string): Promise<void> {
    const git = await this.storage.open(projectId);
    if (db.queryRunner?.isTransactionActive) await ensureTreeIndexed(db, git, projectId, sha);
    else await db.transaction((tx) => ensureTreeIndexed(tx, git, projectId, sha));
  }

  /** `main`, `refs/heads/main` or `refs/tags/v1`; an unqualified name is a branch first, then a tag, as GitLab. */
  async resolveRef(db: EntityManager, projectId: number, ref: string): Promise<ResolvedRef | null> {
    const qualified = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
    const candidates: [RefType, string][] = qualified
      ? [[qualified[1] === 'heads' ? 'branch' : 'tag', qualified[2]]]
      : [
          ['branch', ref],
          ['tag', ref],
        ];
    for (const [refType, name] of candidates) {
      const found = await this.findRef(db, projectId, refType, name);
      if (found) return { sha: found.commitSha, refType, name };
    }
    return null;
  }

  async resolveRevision(db: EntityManager, projectId: number, revision: string): Promise<ResolvedRevision | null> {
    if (FULL_SHA.test(revision)) {
      const sha = revision.toLowerCase();
      return (await this.findCommit(db, projectId, sha)) ? { sha, refType: 'commit' } : null;
    }
    const ref = await this.resolveRef(db, projectId, revision);
    if (ref) return { sha: ref.sha, refType: ref.refType };
    if (!SHORT_SHA.test(revision)) return null;
    const rows: { sha: string }[] = await db.query(
      'SELECT sha FROM repository_commits WHERE project_id = $1 AND starts_with(sha, $2) LIMIT 2',
      [projectId, revision.toLowerCase()],
    );
    return rows.length === 1 ? { sha: rows[0].sha, refType: 'commit' } : null;
  }

  /** A file's bytes at a branch, tag or sha; null when the revision or the path does not exist. */
  async readFile(db: EntityManager, projectId: number, ref: string, path: string): Promise<RepositoryFile | null> {
    const revision = await this.resolveRevision(db, projectId, ref);
    if (!revision) return null;
    await this.ensureTree(db, projectId, revision.sha);
    const rows: { content: Buffer; last_commit_sha: string }[] = await db.query(
      `SELECT f.content, f.last_commit_sha FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
        WHERE c.project_id = $1 AND c.sha = $2 AND f.path = $3`,
      [projectId, revision.sha, path],
    );
    if (!rows.length) return null;
    return { content: rows[0].content, commitSha: revision.sha, refType: revision.refType, lastCommitSha: rows[0].last_commit_sha };
  }

  /** Every file path of the commit `sha` (none when the project has no such commit), for `include:local` wildcards. */
  async listPaths(db: EntityManager, projectId: number, sha: string): Promise<string[]> {
    await this.ensureTree(db, projectId, sha);
    const rows: { path: string }[] = await db.query(
      `SELECT f.path FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
        WHERE c.project_id = $1 AND c.sha = $2 ORDER BY f.path`,
      [projectId, sha],
    );
    return rows.map((row) => row.path);
  }

  /** Whether a branch or tag name is covered by one of the project's protection patterns (the `ref_protected` claim). */
  async isProtectedRef(db: EntityManager, projectId: number, refName: string, refType: RefType): Promise<boolean> {
    return (await this.protection(db, projectId, refType)).isProtected(refName);
  }

  async protection(db: EntityManager, projectId: number, refType: RefType): Promise<RefProtection> {
    return new RefProtection(await db.getRepository(ProtectedRef).find({ where: { projectId, refType }, order: { id: 'ASC' } }));
  }

  findRef(db: EntityManager, projectId: number, refType: RefType, name: string): Promise<RepositoryRef | null> {
    return db.getRepository(RepositoryRef).findOneBy({ projectId, refType, name });
  }

  findCommit(db: EntityManager, projectId: number, sha: string): Promise<RepositoryCommit | null> {
    return db.getRepository(RepositoryCommit).findOneBy({ projectId, sha });
  }

  async findCommits(db: EntityManager, projectId: number, shas: readonly string[]): Promise<Map<string, RepositoryCommit>> {
    const commits = shas.length ? await db.getRepository(RepositoryCommit).findBy({ projectId, sha: In([...new Set(shas)]) }) : [];
    return new Map(commits.map((commit) => [commit.sha, commit]));
  }

  async projectWebUrl(db: EntityManager, project: Project): Promise<string> {
    return `${this.config.externalUrl}/${await loadProjectFullPath(db, project)}`;
  }
}
