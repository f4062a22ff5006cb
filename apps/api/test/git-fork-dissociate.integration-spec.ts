import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { GitStorage, indexedCommits } from '../src/repository/git-storage';
import { startListeningTestApp } from './support/listening-app';
import { branchHead, commitFile, createRepositoryFixture, fileUrl } from './support/repository-fixtures';
import { resources } from './support/resources';
import { TestApp, TestUser, createUser, uniqueName } from './support/test-app';

const run = promisify(execFile);

/**
 * Issue 17: deleting a fork's source dissociates the fork (it copies the objects it borrowed). Everything the fork's
 * index knows must stay readable afterwards — commits whose trees are indexed only when first read, commits its
 * branches no longer reach — or be refused cleanly; never a 500.
 */
describe('a fork after its source is deleted', () => {
  let api: TestApp & { baseUrl: string };
  let storage: GitStorage;
  let work: string;
  let sequence = 0;

  beforeAll(async () => {
    api = await startListeningTestApp();
    storage = api.app.get(GitStorage);
    work = mkdtempSync(join(tmpdir(), 'lanyard-git-fork-'));
  });

  afterAll(async () => {
    await api.close();
    rmSync(work, { recursive: true, force: true });
  });

  const env = () => ({ PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' });

  async function cloneAs(user: TestUser, projectId: number) {
    const project = await api.http.get(`/api/v4/projects/${projectId}`).set('PRIVATE-TOKEN', user.token).expect(200);
    const url = `${api.baseUrl}/${project.body.path_with_namespace}.git`.replace('://', `://${user.username}:${user.token}@`);
    sequence += 1;
    const dir = join(work, `clone-${sequence}`);
    await run('git', ['clone', '-q', url, dir], { env: env() });
    const git = async (...args: string[]) =>
      (
        await run('git', ['-c', 'user.name=Pusher', '-c', 'user.email=pusher@example.com', ...args], { cwd: dir, env: env() })
      ).stdout.trim();
    const commit = async (path: string, content: string, message: string) => {
      writeFileSync(join(dir, path), content);
      await git('add', path);
      await git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    };
    return { dir, git, commit };
  }

  async function forkAs(user: TestUser, sourceId: number): Promise<number> {
    const fork = await api.http
      .post(`/api/v4/projects/${sourceId}/fork`)
      .set('PRIVATE-TOKEN', user.token)
      .send({ path: uniqueName('fork') })
      .expect(201);
    return fork.body.id as number;
  }

  const get = (user: TestUser, path: string) => api.http.get(path).set('PRIVATE-TOKEN', user.token);

  it('reads older commits (trees indexed lazily) and commits no ref of the fork reaches, accepts a commit, clones; a fork of the fork too', async () => {
    const fixture = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'one');
    // Pushed: the intermediate commit's tree is not indexed until first read.
    const clone = await cloneAs(fixture.maintainer, fixture.projectId);
    const older = await clone.commit('a.txt', 'two', 'Two');
    await clone.commit('b.txt', 'three', 'Three');
    await clone.git('push', '-q', 'origin', 'main');
    // A commit only a since-deleted branch reached: the source's index knows it, the fork's refs never reach it.
    const gone = await clone.commit('c.txt', 'gone', 'Gone');
    await clone.git('push', '-q', 'origin', 'HEAD:refs/heads/tmp');
    await api.http
      .delete(`/api/v4/projects/${fixture.projectId}/repository/branches/tmp`)
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .expect(204);
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');

    const forker = await createUser(api, 'forker');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, forker, 20);
    const forkId = await forkAs(forker, fixture.projectId);
    const forkOfFork = await forkAs(forker, forkId);
    await api.http.delete(`/api/v4/projects/${fixture.projectId}`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(202);

    for (const projectId of [forkId, forkOfFork]) {
      const file = await get(forker, `${fileUrl(projectId, 'a.txt')}?ref=${older}`);
      expect({ projectId, status: file.status }).toEqual({ projectId, status: 200 });
      expect(Buffer.from(file.body.content, 'base64').toString()).toBe('two');
      const tree = await get(forker, `/api/v4/projects/${projectId}/repository/tree?ref=${older}`);
      expect({ projectId, status: tree.status }).toEqual({ projectId, status: 200 });
      expect(tree.body.map((entry: { name: string }) => entry.name)).toEqual(['a.txt']);
      const commits = await get(forker, `/api/v4/projects/${projectId}/repository/commits?ref_name=${older}`);
      expect({ projectId, status: commits.status }).toEqual({ projectId, status: 200 });
      expect(commits.body.map((commit: { message: string }) => commit.message.trim())).toEqual(['Two', 'Add a.txt']);
      // Reached by no ref of the fork, yet in its index: its objects were kept.
      const goneFile = await get(forker, `${fileUrl(projectId, 'c.txt')}?ref=${gone}`).expect(200);
      expect(Buffer.from(goneFile.body.content, 'base64').toString()).toBe('gone');
      const goneTree = await get(forker, `/api/v4/projects/${projectId}/repository/tree?ref=${gone}`).expect(200);
      expect(goneTree.body.map((entry: { name: string }) => entry.name)).toEqual(['a.txt', 'b.txt', 'c.txt']);
      const goneCommits = await get(forker, `/api/v4/projects/${projectId}/repository/commits?ref_name=${gone}`).expect(200);
      expect(goneCommits.body[0].id).toBe(gone);
      await api.http
        .post(fileUrl(projectId, 'd.txt'))
        .set('PRIVATE-TOKEN', forker.token)
        .send({ branch: 'main', content: 'd', commit_message: 'Add d.txt' })
        .expect(201);
      const copy = await cloneAs(forker, projectId);
      expect(await copy.git('log', '--format=%s', '-4')).toBe('Add d.txt\nThree\nTwo\nAdd a.txt');
      expect(await copy.git('fsck', '--no-dangling')).toBe('');
      expect(await copy.git('rev-parse', 'HEAD~1')).toBe(head);
      await run('git', ['fsck', '--no-dangling'], { env: { PATH: process.env.PATH, GIT_DIR: storage.pathFor(projectId) } });
    }
  });

  it('a crash between the source delete and its removal: the start-up sweep dissociates the fork before removing it', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'kept');
    const forkId = await forkAs(fixture.maintainer, fixture.projectId);
    const head = await branchHead(api, fixture.maintainer, forkId, 'main');
    // The delete committed; the process died before GitStorage.remove.
    await api.app.get(DataSource).query('DELETE FROM projects WHERE id = $1', [fixture.projectId]);
    // Only this test's source counts as deleted: other files' repositories share the directory.
    const removed = await storage.removeOrphans(
      async (ids) => new Set(ids.filter((id) => id !== fixture.projectId)),
      indexedCommits(api.app.get(DataSource)),
    );
    expect(removed).toBe(1);

    const file = await get(fixture.maintainer, `${fileUrl(forkId, 'a.txt')}?ref=${head}`).expect(200);
    expect(Buffer.from(file.body.content, 'base64').toString()).toBe('kept');
    await get(fixture.maintainer, `/api/v4/projects/${forkId}/repository/tree?ref=${head}`).expect(200);
    const copy = await cloneAs(fixture.maintainer, forkId);
    expect(await copy.git('rev-parse', 'HEAD')).toBe(head);
  });

  it('a commit its index holds but git lacks is a 404, not a 500', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const missing = randomBytes(20).toString('hex');
    await api.app.get(DataSource).query(
      `INSERT INTO repository_commits (project_id, sha, parent_sha, message, author_name, author_email, created_at, tree_indexed)
         VALUES ($1, $2, NULL, 'Lost', 'Someone', 'someone@example.com', now(), false)`,
      [fixture.projectId, missing],
    );
    const base = `/api/v4/projects/${fixture.projectId}/repository`;
    for (const path of [
      `${fileUrl(fixture.projectId, 'a.txt')}?ref=${missing}`,
      `${base}/tree?ref=${missing}`,
      `${base}/commits?ref_name=${missing}`,
    ]) {
      const { status, body } = await get(fixture.maintainer, path);
      expect({ path, status, body }).toEqual({
        path,
        status: 404,
        body: { message: expect.stringMatching(/^404 (Commit|Tree) Not Found$/) },
      });
    }
  });
});
