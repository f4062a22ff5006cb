import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isValidBranchOrTagName } from '@lanyard/git-refs';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Project } from '../entities/project.entity';
import { CLOCK, type Clock } from '../clock/clock';
import { writeCommit } from './commit-writer';
import { branchRef, compareAndSwapRef } from './git/git-objects';
import { GitStorage } from './git-storage';
import { FileRefQuery, WriteFileDto } from './dto/file.dto';
import { MAX_FILE_SIZE } from './file-limits';
import { protectDefaultBranch } from './default-branch-protection';
import { PushEvents } from './push-events';
import { RefWrites } from './git/ref-writes';
import type { RepositoryActor } from './repository-access.decorator';
import { RepositoryError } from './repository-errors';
import { RepositoryService } from './repository.service';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type WriteMode = 'create' | 'update';

interface TargetBranch {
  /** The branch's ref row, locked; null when this commit creates the branch. */
  readonly refId: number | null;
  readonly parentSha: string | null;
  /** The repository is empty: this commit creates its first branch, which becomes the project's default branch. */
  readonly createsDefaultBranch: boolean;
}

@Injectable()
export class FilesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: RepositoryService,
    private readonly pushes: PushEvents,
    private readonly storage: GitStorage,
    private readonly refs: RefWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async show(project: Project, path: string, query: FileRefQuery) {
    const { ref, sha, file } = await this.read(project, path, query);
    return {
      file_name: path.slice(path.lastIndexOf('/') + 1),
      file_path: path,
      size: file.content.length,
      encoding: 'base64',
      content_sha256: createHash('sha256').update(file.content).digest('hex'),
      ref,
      blob_id: gitBlobId(file.content),
      commit_id: sha,
      last_commit_id: file.lastCommitSha,
      execute_filemode: false,
      content: file.content.toString('base64'),
    };
  }

  async raw(project: Project, path: string, query: FileRefQuery): Promise<StreamableFile> {
    const { file } = await this.read(project, path, query);
    const text = !file.content.includes(0) && isUtf8(file.content);
    return new StreamableFile(file.content, {
      type: text ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      length: file.content.length,
    });
  }

  async write(actor: RepositoryActor, project: Project, path: string, dto: WriteFileDto, mode: WriteMode) {
    const content = decodeContent(dto);
    const { sha, before } = await this.refs.transaction(project.id, async (tx) => {
      const target = await this.lockTargetBranch(tx, project, dto);
      // Protected before the push check, so only a maintainer may make an empty repository's first commit (GitLab's
      // `user_can_push_to_empty_repo?`); a refused commit rolls the rule back with it.
      const protection = target.createsDefaultBranch
        ? await protectDefaultBranch(tx, this.repository, project.id, dto.branch)
        : await this.repository.protection(tx, project.id, 'branch');
      if (!protection.allowsPush(dto.branch, actor)) throw new RepositoryError('PUSH_FORBIDDEN');
      // The parent's tree answers whether the path exists, so it must be indexed (a push indexes only its tips).
      if (target.parentSha) await this.repository.ensureTree(tx, project.id, target.parentSha);
      await assertPathState(tx, project.id, target.parentSha, path, mode);
      const git = await this.storage.open(project.id);
      const sha = await writeCommit(tx, git, {
        projectId: project.id,
        parentSha: target.parentSha,
        message: dto.commit_message,
        authorName: actor.user.name,
        authorEmail: actor.user.email,
        at: this.clock.now(),
        path,
        content,
      });
      // Last, after every check: a refusal above leaves the branch where it was (the commit object is unreachable).
      const previous = target.refId === null ? null : target.parentSha;
      if (!(await compareAndSwapRef(git, branchRef(dto.branch), sha, previous))) throw new RepositoryError('REF_MOVED');
      if (target.refId !== null) {
        await tx.query('UPDATE repository_refs SET commit_sha = $2 WHERE id = $1', [target.refId, sha]);
        return { sha, before: target.parentSha ?? undefined };
      }
      await tx.query(`INSERT INTO repository_refs (project_id, name, ref_type, commit_sha) VALUES ($1, $2, 'branch', $3)`, [
        project.id,
        dto.branch,
        sha,
      ]);
      const defaulted: unknown[] = await tx.query(
        'UPDATE projects SET default_branch = $2 WHERE id = $1 AND default_branch IS NULL RETURNING id',
        [project.id, dto.branch],
      );
      if (defaulted.length) await this.storage.setHead(project.id, dto.branch);
      return { sha, before: undefined };
    });
    // An empty repository's first commit made its branch the default one: the push pipeline's CI_DEFAULT_BRANCH says so.
    const pushedTo = project.defaultBranch === null ? await this.db.getRepository(Project).findOneByOrFail({ id: project.id }) : project;
    await this.pushes.pushed(actor, pushedTo, { ref: dto.branch, refType: 'branch', sha, ...(before ? { before } : {}) });
    return { file_path: path, branch: dto.branch };
  }

  private async read(project: Project, path: string, query: FileRefQuery) {
    const ref = query.ref ?? project.defaultBranch;
    const revision = ref === null ? null : await this.repository.resolveRevision(this.db.manager, project.id, ref);
    if (!revision) throw new RepositoryError('COMMIT_NOT_FOUND');
    const file = await this.repository.readFile(this.db.manager, project.id, revision.sha, path);
    if (!file) throw new RepositoryError('FILE_NOT_FOUND');
    return { ref: ref!, sha: revision.sha, file };
  }

  /**
   * Locks the branch so concurrent commits to it serialize, each on its predecessor. A branch that does not exist yet
   * is created from `start_branch` (or as the first branch of an empty repository) under the project row's lock.
   */
  private async lockTargetBranch(tx: EntityManager, project: Project, dto: WriteFileDto): Promise<TargetBranch> {
    let branch = await lockBranch(tx, project.id, dto.branch);
    if (!branch) {
      await tx.query('SELECT 1 FROM projects WHERE id = $1 FOR NO KEY UPDATE', [project.id]);
      branch = await lockBranch(tx, project.id, dto.branch);
    }
    if (branch) {
      if (dto.start_branch !== undefined && dto.start_branch !== dto.branch) {
        throw new RepositoryError('BRANCH_EXISTS_FOR_START_BRANCH', { branch: dto.branch });
      }
      return { refId: branch.id, parentSha: branch.commit_sha, createsDefaultBranch: false };
    }
    if (!isValidBranchOrTagName(dto.branch)) throw new RepositoryError('BRANCH_NAME_INVALID');
    const anyBranch: unknown[] = await tx.query(`SELECT 1 FROM repository_refs WHERE project_id = $1 AND ref_type = 'branch' LIMIT 1`, [
      project.id,
    ]);
    if (!anyBranch.length) return { refId: null, parentSha: null, createsDefaultBranch: true };
    const start = dto.start_branch === undefined ? null : await this.repository.findRef(tx, project.id, 'branch', dto.start_branch);
    if (!start) throw new RepositoryError('START_BRANCH_MISSING');
    return { refId: null, parentSha: start.commitSha, createsDefaultBranch: false };
  }
}

async function lockBranch(tx: EntityManager, projectId: number, name: string): Promise<{ id: number; commit_sha: string } | null> {
  const rows: { id: number; commit_sha: string }[] = await tx.query(
    `SELECT id, commit_sha FROM repository_refs WHERE project_id = $1 AND ref_type = 'branch' AND name = $2 FOR UPDATE`,
    [projectId, name],
  );
  return rows[0] ?? null;
}

/** Git's trees cannot hold a file and a directory of one name, nor create what exists or update what does not. */
async function assertPathState(tx: EntityManager, projectId: number, parentSha: string | null, path: string, mode: WriteMode) {
  const segments = path.split('/');
  const ancestors = segments.slice(1).map((_, i) => segments.slice(0, i + 1).join('/'));
  const inParent = `SELECT f.path FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
                     WHERE c.project_id = $1 AND c.sha = $2`;
  const files: { path: string }[] = parentSha
    ? await tx.query(`${inParent} AND f.path = ANY($3)`, [projectId, parentSha, [path, ...ancestors]])
    : [];
  const directories: { path: string }[] =
    parentSha && mode === 'create'
      ? await tx.query(`${inParent} AND starts_with(f.path, $3) LIMIT 1`, [projectId, parentSha, `${path}/`])
      : [];
  const exists = files.some((file) => file.path === path);
  if (mode === 'update') {
    if (!exists) throw new RepositoryError('FILE_TO_UPDATE_MISSING');
    return;
  }
  if (files.length) throw new RepositoryError('FILE_EXISTS');
  if (directories.length) throw new RepositoryError('DIRECTORY_EXISTS');
}

function decodeContent(dto: WriteFileDto): Buffer {
  let content: Buffer;
  if (dto.encoding === 'base64') {
    const compact = dto.content.replace(/\r?\n/g, '');
    if (!BASE64.test(compact)) throw new RepositoryError('CONTENT_NOT_BASE64');
    content = Buffer.from(compact, 'base64');
  } else {
    content = Buffer.from(dto.content, 'utf8');
  }
  if (content.length > MAX_FILE_SIZE) throw new RepositoryError('CONTENT_TOO_LARGE', { maximumBytes: MAX_FILE_SIZE });
  return content;
}

/** Git's blob object id, so clients comparing blob_id with `git hash-object` agree. */
function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
