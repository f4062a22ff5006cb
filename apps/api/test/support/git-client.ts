import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { branchHead, commitFile, createRepositoryFixture } from './repository-fixtures';
import { client } from './resources';
import type { TestApp, TestUser } from './test-app';

const run = promisify(execFile);

/** A working clone made by the real `git` client over the service's smart HTTP, as `user` with their token. */
export interface TestClone {
  readonly dir: string;
  /** git in the clone (with an identity, without prompts); answers its trimmed stdout. */
  git(...args: string[]): Promise<string>;
  /** `git push origin …`: 'pushed', or git's stderr when it refuses. */
  push(...args: string[]): Promise<string>;
  /** Writes `path`, commits it, and answers the new commit's sha. */
  commit(path: string, content: string, message?: string): Promise<string>;
}

/** Clones into a private temporary folder that `cleanUp` removes; git sees no system or user configuration. */
export function gitClients(api: TestApp & { baseUrl: string }) {
  const work = mkdtempSync(join(tmpdir(), 'lanyard-clones-'));
  const env = { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  let sequence = 0;

  async function cloneAs(user: TestUser, projectId: number): Promise<TestClone> {
    const project = await client(api, user).get(`/projects/${projectId}`);
    const url = `${api.baseUrl}/${project.body.path_with_namespace}.git`.replace('://', `://${user.username}:${user.token}@`);
    sequence += 1;
    const dir = join(work, `clone-${sequence}`);
    await run('git', ['clone', '-q', url, dir], { env });
    const git = async (...args: string[]) =>
      (await run('git', ['-c', 'user.name=Pusher', '-c', 'user.email=pusher@example.com', ...args], { cwd: dir, env })).stdout.trim();
    return {
      dir,
      git,
      push: (...args: string[]) =>
        run('git', ['push', '-q', 'origin', ...args], { cwd: dir, env }).then(
          () => 'pushed',
          (error: { stderr: string }) => error.stderr,
        ),
      commit: async (path: string, content: string, message = `Change ${path}`) => {
        writeFileSync(join(dir, path), content);
        await git('add', path);
        await git('commit', '-q', '-m', message);
        return git('rev-parse', 'HEAD');
      },
    };
  }

  return { cloneAs, work, cleanUp: () => rmSync(work, { recursive: true, force: true }) };
}

/** The start of a hand-made `git-receive-pack` request: one ref update with report-status, then the flush packet. */
export function receivePackCommand(oldSha: string, newSha: string, ref: string): Buffer {
  const command = `${oldSha} ${newSha} ${ref}\0 report-status\n`;
  return Buffer.from(`${(command.length + 4).toString(16).padStart(4, '0')}${command}0000`);
}

/** The runner's `PUT /jobs/:id` with success, which ends the job and its token. */
export async function finishJobAs(api: TestApp, jobId: number, jobToken: string): Promise<void> {
  await api.http.put(`/api/v4/jobs/${jobId}`).send({ token: jobToken, state: 'success' }).expect(200);
}

/**
 * A private project whose developer may push `main`, with one commit on it: the fixture, `main`'s head, and the
 * repository's path as the developer's git client names it (`<path_with_namespace>.git`).
 */
export async function pushableProject(api: TestApp) {
  const fixture = await createRepositoryFixture(api, 'private', { developersPushMain: true });
  await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
  const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
  const project = await client(api, fixture.developer).get(`/projects/${fixture.projectId}`);
  return { fixture, head, path: project.body.path_with_namespace as string };
}
