import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ReceiveCommandReader,
  refusePushedRef,
  type ForcePushRule,
  type ReceiveCommand,
  type RefProtection,
  type RefUpdate,
} from '@lanyard/git-refs';
import type { Response } from 'express';
import { createServer, type Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, pipeline } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app-config';
import { Project } from '../../entities/project.entity';
import { protectDefaultBranch } from '../default-branch-protection';
import { PushEvents } from '../push-events';
import type { RepositoryActor } from '../repository-access.decorator';
import { RepositoryService } from '../repository.service';
import type { GitHttpAccess } from './git-http-access';
import { pipeGit } from './git-http-route';
import { indexPush, type MovedRef } from './git-push-index';
import { GitRepository, ZERO_OID } from './git-repository';
import { GitStorage } from '../git-storage';
import { parsePushOptions, type PushOptions } from './push-options';
import { preReceiveHooksPath, type HookRequest } from './pre-receive-hook';
import { compareAndSwapRef, readRef } from './git-objects';
import { readPushUpload, type PushUpload } from './push-upload';
import { RefWrites } from './ref-writes';

type Allowed = Extract<GitHttpAccess, { outcome: 'allowed' }>;

interface Change extends RefUpdate {
  readonly oldSha: string;
  readonly newSha: string;
}

/**
 * `git-receive-pack`: the request is read whole first (`readPushUpload`), holding no lock; then git unpacks it into its quarantine and runs the pre-receive hook, which asks `check`
 * here; the checks run in a transaction that locks the project and stays open while git moves the refs, then indexes
 * what moved and commits. Pipelines follow, one per pushed branch or tag, once the index is committed.
 */
@Injectable()
export class GitReceiver {
  private readonly logger = new Logger(GitReceiver.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RepositoryService,
    private readonly pushes: PushEvents,
    private readonly storage: GitStorage,
    private readonly refs: RefWrites,
  ) {}

  async receive(
    access: Allowed,
    git: GitRepository,
    body: NodeJS.ReadableStream,
    response: Response,
    env: NodeJS.ProcessEnv,
  ): Promise<void> {
    const actor: RepositoryActor = { user: access.user!, admin: access.user!.admin, level: access.level };
    // Over the limit, PushTooLargeError: the git HTTP route answers it, as it answers every other refusal.
    const upload = await readPushUpload(body, this.config.maxPushBytes);
    try {
      await this.receiveUploaded(access, actor, git, upload, response, env);
    } finally {
      await upload.release();
    }
  }

  private async receiveUploaded(
    access: Allowed,
    actor: RepositoryActor,
    git: GitRepository,
    upload: PushUpload,
    response: Response,
    env: NodeJS.ProcessEnv,
  ): Promise<void> {
    const hooksPath = await this.hooksDirectory();
    // The socket's name is random and unlinked on close; a stale file left by a crash is removed before listening.
    const socketPath = join(tmpdir(), `lanyard-push-${randomBytes(8).toString('hex')}.sock`);
    await rm(socketPath, { force: true });
    // The commands the client sent, read as the upload streams to git: what to undo if git moved refs unchecked.
    const asked = new ReceiveCommandReader();
    // A transform, not a 'data' listener: that would start the flow before git's stdin is attached, and lose bytes.
    const tapped = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        asked.push(chunk);
        done(null, chunk);
      },
    });
    pipeline(upload.open(), tapped, () => undefined);
    let accepted: { changes: Change[]; options: PushOptions } | null = null;
    const moved = await this.refs.transaction(access.project.id, async (tx) => {
      // Pushes, files-API commits and branch creations of one project serialize here.
      await tx.query('SELECT 1 FROM projects WHERE id = $1 FOR NO KEY UPDATE', [access.project.id]);
      const server = await listen(socketPath, async (request) => {
        const verdict = await this.check(tx, access.project, actor, git, request);
        if (verdict.ok) accepted = { changes: verdict.changes, options: parsePushOptions(request.pushOptions) };
        return verdict.ok ? { ok: true } : { ok: false, message: verdict.message };
      });
      try {
        response.status(200).type('application/x-git-receive-pack-result');
        const args = ['-c', `core.hooksPath=${hooksPath}`, '-c', `receive.maxInputSize=${this.config.maxPushBytes}`];
        const hookEnv = { ...env, LANYARD_HOOK_SOCKET: socketPath };
        await pipeGit([...args, 'receive-pack', '--stateless-rpc', git.path], hookEnv, tapped, response, { end: false });
      } finally {
        server.close();
      }
      const result = accepted as { changes: Change[]; options: PushOptions } | null;
      if (!result) {
        await this.rollBackUnchecked(git, access.project.id, asked.commands);
        return [];
      }
      const done = await movedRefs(git, result.changes);
      await indexPush(
        tx,
        git,
        access.project.id,
        done.map(({ ref }) => ref),
      );
      await this.adoptDefaultBranch(tx, access.project, done);
      return done.map((entry) => ({ ...entry, options: result.options }));
    });
    const project = await this.db.getRepository(Project).findOneByOrFail({ id: access.project.id });
    for (const { ref, before, options } of moved) {
      if (ref.sha === null || options.skipCi) continue;
      const sha = await git.text(['rev-parse', `${ref.sha}^{commit}`]);
      await this.pushes.pushed(actor, project, {
        ref: ref.name,
        refType: ref.refType,
        sha,
        ...(before ? { before } : {}),
        ...(options.variables.length ? { variables: options.variables } : {}),
      });
    }
    // The client hears the end of the push once its refs are indexed and its pipelines exist, so a script running
    // `git push && curl …/pipelines` sees them (GitLab creates them asynchronously, moments later).
    response.end();
  }

  /** Checked (and re-written if needed) before every push; a method so a test can make it vanish after the check. */
  private async hooksDirectory(): Promise<string> {
    try {
      return await preReceiveHooksPath(this.config.repositoriesDir);
    } catch (error) {
      // The push is refused (a 500 before git starts); the operator learns why here.
      this.logger.error(
        `push refused: the pre-receive hook cannot be installed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }

  private async check(tx: EntityManager, project: Project, actor: RepositoryActor, git: GitRepository, request: HookRequest) {
    const quarantineEnv: Record<string, string> = {};
    if (request.objectDirectory) quarantineEnv.GIT_OBJECT_DIRECTORY = request.objectDirectory;
    if (request.alternateObjectDirectories) quarantineEnv.GIT_ALTERNATE_OBJECT_DIRECTORIES = request.alternateObjectDirectories;
    const changes: Change[] = [];
    for (const line of request.changes.split('\n').filter(Boolean)) {
      const [oldSha, newSha, refName] = line.split(' ');
      const kind = oldSha === ZERO_OID ? 'create' : newSha === ZERO_OID ? 'delete' : 'update';
      const forced =
        kind === 'update' &&
        refName.startsWith('refs/heads/') &&
        !(await git.test(['merge-base', '--is-ancestor', oldSha, newSha], { env: quarantineEnv }));
      changes.push({ refName, kind, forced, oldSha, newSha });
    }
    const [{ default_branch: defaultBranch }]: { default_branch: string | null }[] = await tx.query(
      'SELECT default_branch FROM projects WHERE id = $1',
      [project.id],
    );
    // An empty repository's first pushed branch becomes its default branch, protected before the push is judged.
    const firstBranch =
      defaultBranch === null ? changes.find((change) => change.kind === 'create' && change.refName.startsWith('refs/heads/')) : undefined;
    if (firstBranch) await protectDefaultBranch(tx, this.repository, project.id, firstBranch.refName.slice('refs/heads/'.length));
    const rules = {
      actor,
      branches: (await this.repository.protection(tx, project.id, 'branch')) as RefProtection<ForcePushRule>,
      tags: await this.repository.protection(tx, project.id, 'tag'),
      defaultBranch,
    };
    for (const change of changes) {
      const refusal = refusePushedRef(change, rules);
      if (refusal) return { ok: false as const, message: refusal };
    }
    return { ok: true as const, changes };
  }

  /**
   * Fail closed: with no verdict recorded, the hook never ran (its file vanished or lost its executable bit between
   * the check and git's start), yet git moved what the client asked. Each such ref goes back to its old value if it
   * is still where the push put it (compare-and-swap; the project lock keeps the service's own writers out), and
   * nothing is indexed. The client has already read git's report; its refs simply did not move.
   */
  private async rollBackUnchecked(git: GitRepository, projectId: number, commands: readonly ReceiveCommand[]): Promise<void> {
    const undone: string[] = [];
    for (const { refName, oldSha, newSha } of commands) {
      // Git moves nothing outside refs/ (a "funny refname"); nor is a client's string passed to git as an option.
      if (oldSha === newSha || !refName.startsWith('refs/')) continue;
      const pushed = newSha === ZERO_OID ? null : newSha;
      if ((await readRef(git, refName)) !== pushed) continue;
      const restored = await compareAndSwapRef(git, refName, oldSha === ZERO_OID ? null : oldSha, pushed);
      undone.push(`${refName}${restored ? '' : ' (failed: it moved again)'}`);
    }
    if (undone.length) {
      this.logger.error(`project ${projectId}: a push moved refs without the pre-receive hook's verdict; rolled back ${undone.join(', ')}`);
    }
  }

  private async adoptDefaultBranch(tx: EntityManager, project: Project, done: readonly { ref: MovedRef }[]): Promise<void> {
    const branch = done.find(({ ref }) => ref.refType === 'branch' && ref.sha !== null);
    if (!branch) return;
    const adopted: unknown[] = await tx.query(
      'UPDATE projects SET default_branch = $2 WHERE id = $1 AND default_branch IS NULL RETURNING id',
      [project.id, branch.ref.name],
    );
    if (adopted.length) await this.storage.setHead(project.id, branch.ref.name);
  }
}

/** The refs git actually moved as asked (an update git refused, e.g. a stale old value, is not indexed). */
async function movedRefs(git: GitRepository, changes: readonly Change[]): Promise<{ ref: MovedRef; before: string | null }[]> {
  const done: { ref: MovedRef; before: string | null }[] = [];
  for (const change of changes) {
    const now = await readRef(git, change.refName);
    const wanted = change.kind === 'delete' ? null : change.newSha;
    if (now !== wanted) continue;
    const branch = change.refName.startsWith('refs/heads/');
    const name = change.refName.slice(branch ? 'refs/heads/'.length : 'refs/tags/'.length);
    done.push({ ref: { refType: branch ? 'branch' : 'tag', name, sha: wanted }, before: change.kind === 'update' ? change.oldSha : null });
  }
  return done;
}

function listen(path: string, handle: (request: HookRequest) => Promise<{ ok: boolean; message?: string }>): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Half-open: the hook ends its side after its request and still reads the verdict.
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => undefined);
      socket.on('end', () => {
        let request: HookRequest;
        try {
          request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as HookRequest;
        } catch {
          socket.end(JSON.stringify({ ok: false, message: 'Malformed push check request.' }));
          return;
        }
        handle(request).then(
          (verdict) => socket.end(JSON.stringify(verdict)),
          () => socket.end(JSON.stringify({ ok: false, message: 'The push could not be checked; try again.' })),
        );
      });
    });
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}
