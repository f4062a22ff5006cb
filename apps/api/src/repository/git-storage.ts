import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { RefType } from './repository-ref.entity';
import { GitRepository } from './git/git-repository';

const HASHED = '@hashed';

export interface GitRef {
  readonly refType: RefType;
  readonly name: string;
  readonly sha: string;
}

/**
 * The bare repositories, one per project id under GitLab's hashed storage layout (`@hashed/ab/cd/<sha256(id)>.git`),
 * so a rename or a transfer moves nothing on disk. The database says which projects exist; a repository is created
 * on first use after its project is committed and removed after its project's delete is committed, so a crash in
 * between leaves at worst an orphan, which `removeOrphans` clears at start.
 */
@Injectable()
export class GitStorage {
  private readonly logger = new Logger(GitStorage.name);
  private readonly root: string;
  private readonly opening = new Map<number, Promise<GitRepository>>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.repositoriesDir);
  }

  pathFor(projectId: number): string {
    const hash = createHash('sha256').update(String(projectId)).digest('hex');
    return join(this.root, HASHED, hash.slice(0, 2), hash.slice(2, 4), `${hash}.git`);
  }

  /** The project's repository, initialised (empty, default branch unset) the first time it is needed. */
  open(projectId: number): Promise<GitRepository> {
    const path = this.pathFor(projectId);
    if (existsSync(join(path, 'HEAD'))) return Promise.resolve(new GitRepository(path));
    let pending = this.opening.get(projectId);
    if (!pending) {
      pending = this.init(projectId, path).finally(() => this.opening.delete(projectId));
      this.opening.set(projectId, pending);
    }
    return pending;
  }

  /** A fork borrows its source's objects (GitLab's object pools) and starts with the refs copied in the database. */
  async fork(sourceId: number, forkId: number, refs: readonly GitRef[]): Promise<GitRepository> {
    const source = await this.open(sourceId);
    const fork = await this.open(forkId);
    await writeFile(join(fork.path, 'objects', 'info', 'alternates'), `${join(source.path, 'objects')}\n`);
    const commands = refs.map((ref) => `create ${ref.refType === 'tag' ? 'refs/tags/' : 'refs/heads/'}${ref.name} ${ref.sha}\n`);
    if (commands.length) await fork.run(['update-ref', '--stdin'], { input: commands.join('') });
    return fork;
  }

  /** Points HEAD at the project's default branch, which `git clone` checks out. */
  async setHead(projectId: number, branch: string): Promise<void> {
    await (await this.open(projectId)).run(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  /**
   * GitLab's `MergeRequest#fetch_ref!`: the target's `refs/merge-requests/<iid>/head` follows the source branch,
   * fetched from the fork when the merge request comes from one.
   */
  async updateMergeRequestHead(targetId: number, sourceId: number, branch: string, iid: number): Promise<void> {
    const target = await this.open(targetId);
    const ref = `refs/merge-requests/${iid}/head`;
    if (sourceId === targetId) {
      await target.run(['update-ref', ref, `refs/heads/${branch}`]);
      return;
    }
    const source = await this.open(sourceId);
    await target.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', source.path, `+refs/heads/${branch}:${ref}`]);
  }

  /** GitLab's persistent pipeline ref (`refs/pipelines/<id>`): the runner fetches the pipeline's commit through it. */
  async keepPipelineRef(projectId: number, pipelineId: number, sha: string): Promise<void> {
    await (await this.open(projectId)).run(['update-ref', `refs/pipelines/${pipelineId}`, sha]);
  }

  /**
   * Removes a deleted project's repository. Forks borrowing its objects first copy what they use (as
   * `git clone --dissociate`), so deleting a source never breaks a fork. `knownCommits` names the commits a fork's
   * index holds: it copied the source's commit rows when it was made, some of which its refs never reach (a branch
   * deleted in the source, a pipeline's or merge request's ref); their objects are copied too, so every commit the
   * fork's API lists stays readable.
   */
  async remove(
    projectIds: readonly number[],
    forkIds: readonly number[],
    knownCommits: (forkId: number) => Promise<readonly string[]>,
  ): Promise<void> {
    for (const forkId of forkIds) await this.dissociate(forkId, await knownCommits(forkId));
    for (const projectId of projectIds) await rm(this.pathFor(projectId), { recursive: true, force: true });
  }

  /**
   * Deletes every repository whose project no longer exists (a crash between a delete's commit and its removal).
   * A surviving repository borrowing from one of them (a fork) is dissociated first, as `remove` would have done.
   */
  async removeOrphans(
    existing: (projectIds: number[]) => Promise<Set<number>>,
    knownCommits: (forkId: number) => Promise<readonly string[]>,
  ): Promise<number> {
    const found = await this.listRepositories();
    const alive = await existing([...found.keys()]);
    const orphans = [...found].filter(([projectId]) => !alive.has(projectId));
    if (!orphans.length) return 0;
    const orphanObjects = new Set(orphans.map(([, path]) => join(path, 'objects')));
    for (const [projectId, path] of found) {
      if (!alive.has(projectId) || !(await borrowsFrom(path, orphanObjects))) continue;
      await this.dissociate(projectId, await knownCommits(projectId));
    }
    for (const [, path] of orphans) await rm(path, { recursive: true, force: true });
    this.logger.warn(`removed ${orphans.length} repositories of deleted projects`);
    return orphans.length;
  }

  private async dissociate(projectId: number, knownCommits: readonly string[]): Promise<void> {
    const path = this.pathFor(projectId);
    const alternates = join(path, 'objects', 'info', 'alternates');
    if (!existsSync(alternates)) return;
    const repository = new GitRepository(path);
    await packUnreachableCommits(repository, knownCommits);
    // Without -l, repack copies the borrowed objects the fork reaches (all its refs) into its own pack. With -k
    // (--keep-unreachable) it also keeps the fork's own unreachable objects, the pack above among them, and what a
    // fork of this fork borrows from it through its alternates (git follows them transitively).
    await repository.run(['repack', '-a', '-d', '-k', '-q']);
    await rm(alternates, { force: true });
  }

  /** Initialised under a temporary name and renamed into place, so a half-made repository is never seen. */
  private async init(projectId: number, path: string): Promise<GitRepository> {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${projectId}.tmp`;
    await rm(temporary, { recursive: true, force: true });
    const repository = new GitRepository(temporary);
    await repository.run(['init', '--bare', '--quiet', temporary]);
    await repository.run(['config', 'lanyard.projectid', String(projectId)]);
    // Objects written by the service are kept until an explicit gc: a concurrent push may still reference them.
    await repository.run(['config', 'gc.auto', '0']);
    await repository.run(['config', 'receive.advertisePushOptions', 'true']);
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { recursive: true, force: true });
      if (!existsSync(join(path, 'HEAD'))) throw error;
    }
    return new GitRepository(path);
  }

  private async listRepositories(): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    const base = join(this.root, HASHED);
    if (!existsSync(base)) return found;
    for (const a of await readdir(base)) {
      for (const b of await readdir(join(base, a)).catch(() => [])) {
        for (const name of await readdir(join(base, a, b)).catch(() => [])) {
          if (!name.endsWith('.git')) continue;
          const path = join(base, a, b, name);
          const id = await projectIdOf(path);
          if (/^\d+$/.test(id)) found.set(Number(id), path);
          else this.logger.warn(`${relative(this.root, path)} names no project; left alone`);
        }
      }
    }
    return found;
  }
}

/** Whether the repository's alternates name one of the object directories. */
async function borrowsFrom(path: string, objectDirectories: ReadonlySet<string>): Promise<boolean> {
  const alternates = await readFile(join(path, 'objects', 'info', 'alternates'), 'utf8').catch(() => '');
  return alternates.split('\n').some((line) => line.trim() !== '' && objectDirectories.has(resolve(path, 'objects', line.trim())));
}

/**
 * The commits a project's index holds, for `remove` and `removeOrphans`: a fork copied its source's commit rows when it
 * was made, and their objects must outlive the source's repository even where no ref of the fork reaches them.
 */
export function indexedCommits(db: DataSource | EntityManager): (projectId: number) => Promise<string[]> {
  return async (projectId) => {
    const rows: { sha: string }[] = await db.query('SELECT sha FROM repository_commits WHERE project_id = $1', [projectId]);
    return rows.map((row) => row.sha);
  };
}

/**
 * Packs, from wherever they are (the alternates included), the objects of the commits that exist but no ref reaches,
 * so a repack keeps them once the alternates go. Commits git does not have at all are skipped.
 */
async function packUnreachableCommits(repository: GitRepository, commits: readonly string[]): Promise<void> {
  if (!commits.length) return;
  const checked = await repository.text(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    input: commits.map((sha) => `${sha}\n`).join(''),
  });
  const present = checked
    .split('\n')
    .filter((line) => line.endsWith(' commit'))
    .map((line) => line.split(' ')[0]);
  if (!present.length) return;
  const tips = (await repository.text(['for-each-ref', '--format=%(objectname)'])).split('\n').filter(Boolean);
  const objects = await repository.run(['rev-list', '--objects', '--stdin'], {
    input: [...present, ...tips.map((tip) => `^${tip}`)].map((line) => `${line}\n`).join(''),
  });
  if (!objects.length) return;
  await repository.run(['pack-objects', '-q', join(repository.path, 'objects', 'pack', 'pack')], { input: objects });
}

/**
 * The `lanyard.projectid` a repository's `config` file records (written by `init` with `git config`), read as text:
 * every start looks at every repository, and a `git config` process for each cost seconds once there were thousands
 * (the test suite's shared directory made each app start slower than the last). '' when there is none.
 */
async function projectIdOf(path: string): Promise<string> {
  const text = await readFile(join(path, 'config'), 'utf8').catch(() => '');
  const section = /^\s*\[lanyard\]\s*$([^[]*)/im.exec(text);
  return /^\s*projectid\s*=\s*(\d+)\s*$/im.exec(section?.[1] ?? '')?.[1] ?? '';
}
