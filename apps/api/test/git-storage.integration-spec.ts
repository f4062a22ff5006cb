import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GitStorage } from '../src/repository/git-storage';
import { RepositoryStartup } from '../src/repository/git/git-storage.module';
import { branchHead, commitFile, createRepositoryFixture } from './support/repository-fixtures';
import { createUser, startTestApp, TestApp, uniqueName } from './support/test-app';

/** Issue 17: every project is a bare git repository; the API's commits are real git commits in it. */
describe('git storage', () => {
  let api: TestApp;
  let storage: GitStorage;

  beforeAll(async () => {
    api = await startTestApp();
    storage = api.app.get(GitStorage);
  });

  afterAll(() => api.close());

  const git = (projectId: number, ...args: string[]) =>
    execFileSync('git', args, { env: { PATH: process.env.PATH, GIT_DIR: storage.pathFor(projectId) } })
      .toString('utf8')
      .trim();

  it('stores a project by id (hashed), and a commit of the files API is a real commit on the branch', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, '.gitlab-ci.yml', 'job:\n  script: [echo hi]\n');
    await commitFile(api, fixture.maintainer, fixture.projectId, 'src/app.py', 'print(1)\n');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');

    expect(storage.pathFor(fixture.projectId)).toMatch(/\/@hashed\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.git$/);
    expect(git(fixture.projectId, 'rev-parse', 'refs/heads/main')).toBe(head);
    expect(git(fixture.projectId, 'fsck', '--strict', '--no-dangling')).toBe('');
    expect(git(fixture.projectId, 'ls-tree', '-r', '--name-only', head).split('\n')).toEqual(['.gitlab-ci.yml', 'src/app.py']);
    expect(git(fixture.projectId, 'show', `${head}:src/app.py`)).toBe('print(1)');
    expect(git(fixture.projectId, 'log', '--format=%s|%an|%ae', 'main').split('\n')).toEqual([
      `Add src/app.py|${fixture.maintainer.username}|${fixture.maintainer.username}@example.com`,
      `Add .gitlab-ci.yml|${fixture.maintainer.username}|${fixture.maintainer.username}@example.com`,
    ]);
  });

  it('lists commits (newest first, by path, paginated) and trees from git in GitLab shapes', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'README.md', 'hi');
    await commitFile(api, fixture.maintainer, fixture.projectId, 'src/lib/a.py', 'a');
    await commitFile(api, fixture.maintainer, fixture.projectId, 'src/b.py', 'b');
    const base = `/api/v4/projects/${fixture.projectId}/repository`;
    const get = (url: string) => api.http.get(url).set('PRIVATE-TOKEN', fixture.reporter.token);

    const all = await get(`${base}/commits`).expect(200);
    expect(all.body.map((commit: { title: string }) => commit.title)).toEqual(['Add src/b.py', 'Add src/lib/a.py', 'Add README.md']);
    expect(all.body[0].parent_ids).toEqual([all.body[1].id]);
    const paged = await get(`${base}/commits?ref_name=main&per_page=1&page=2`).expect(200);
    expect(paged.headers['x-total']).toBe('3');
    expect(paged.body.map((commit: { id: string }) => commit.id)).toEqual([all.body[1].id]);
    const byPath = await get(`${base}/commits?path=src/lib`).expect(200);
    expect(byPath.body.map((commit: { title: string }) => commit.title)).toEqual(['Add src/lib/a.py']);

    const root = await get(`${base}/tree`).expect(200);
    expect(root.body).toEqual([
      { id: git(fixture.projectId, 'rev-parse', 'main:README.md'), name: 'README.md', type: 'blob', path: 'README.md', mode: '100644' },
      { id: git(fixture.projectId, 'rev-parse', 'main:src'), name: 'src', type: 'tree', path: 'src', mode: '040000' },
    ]);
    const recursive = await get(`${base}/tree?path=src&recursive=true`).expect(200);
    expect(recursive.body.map((entry: { path: string }) => entry.path)).toEqual(['src/b.py', 'src/lib', 'src/lib/a.py']);
    expect((await get(`${base}/tree?path=nowhere`).expect(404)).body).toEqual({ message: '404 Tree Not Found' });
    await get(`${base}/tree?path=../..`).expect(404);
    await get(`${base}/tree?ref=no-such-branch`).expect(404);
    await api.http.get(`${base}/tree`).set('PRIVATE-TOKEN', fixture.guest.token).expect(403);
  });

  it('creates and deletes branches and tags in git, an annotated tag for a message', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const base = `/api/v4/projects/${fixture.projectId}/repository`;
    const as = (request: ReturnType<typeof api.http.post>) => request.set('PRIVATE-TOKEN', fixture.maintainer.token);
    await as(api.http.post(`${base}/branches`))
      .send({ branch: 'feature', ref: 'main' })
      .expect(201);
    await as(api.http.post(`${base}/tags`))
      .send({ tag_name: 'v1', ref: 'main', message: 'First release' })
      .expect(201);
    await as(api.http.post(`${base}/tags`))
      .send({ tag_name: 'light', ref: 'main' })
      .expect(201);

    expect(git(fixture.projectId, 'rev-parse', 'refs/heads/feature')).toBe(head);
    expect(git(fixture.projectId, 'cat-file', '-t', 'refs/tags/v1')).toBe('tag');
    expect(git(fixture.projectId, 'rev-parse', 'refs/tags/v1^{commit}')).toBe(head);
    expect(git(fixture.projectId, 'cat-file', '-t', 'refs/tags/light')).toBe('commit');

    await as(api.http.delete(`${base}/branches/feature`)).expect(204);
    await as(api.http.delete(`${base}/tags/v1`)).expect(204);
    expect(git(fixture.projectId, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main\nrefs/tags/light');
  });

  it('refuses a files-API commit whose branch moved in git meanwhile, and leaves both where they were', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    // As a concurrent push would: git's branch moves to another commit the index has not seen yet.
    const tree = git(fixture.projectId, 'rev-parse', `${head}^{tree}`);
    const other = execFileSync('git', ['commit-tree', tree, '-p', head, '-m', 'pushed'], {
      env: {
        PATH: process.env.PATH,
        GIT_DIR: storage.pathFor(fixture.projectId),
        GIT_AUTHOR_NAME: 'x',
        GIT_AUTHOR_EMAIL: 'x@x',
        GIT_COMMITTER_NAME: 'x',
        GIT_COMMITTER_EMAIL: 'x@x',
      },
    })
      .toString('utf8')
      .trim();
    git(fixture.projectId, 'update-ref', 'refs/heads/main', other, head);

    const refused = await commitFile(api, fixture.maintainer, fixture.projectId, 'b.txt', 'b').catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
    expect(git(fixture.projectId, 'rev-parse', 'refs/heads/main')).toBe(other);
  });

  it('a fork borrows its source objects through alternates and keeps them when the source is deleted', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'kept');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const forker = await createUser(api, 'forker');
    await api.http
      .post(`/api/v4/projects/${fixture.projectId}/members`)
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .send({ user_id: forker.id, access_level: 20 })
      .expect(201);
    const fork = await api.http
      .post(`/api/v4/projects/${fixture.projectId}/fork`)
      .set('PRIVATE-TOKEN', forker.token)
      .send({ path: uniqueName('fork') })
      .expect(201);
    const alternates = join(storage.pathFor(fork.body.id), 'objects', 'info', 'alternates');
    expect(readFileSync(alternates, 'utf8').trim()).toBe(join(storage.pathFor(fixture.projectId), 'objects'));
    expect(git(fork.body.id, 'rev-parse', 'refs/heads/main')).toBe(head);

    await api.http.delete(`/api/v4/projects/${fixture.projectId}`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(202);
    expect(existsSync(storage.pathFor(fixture.projectId))).toBe(false);
    expect(existsSync(alternates)).toBe(false);
    expect(git(fork.body.id, 'show', 'main:a.txt')).toBe('kept');
    expect(git(fork.body.id, 'fsck', '--no-dangling')).toBe('');
  });

  it('converts a history stored in the tables before git: same branches, tags, files, messages and order', async () => {
    const fixture = await createRepositoryFixture(api);
    const db = api.app.get(DataSource);
    const random = () => randomBytes(20).toString('hex');
    const [first, second] = [random(), random()];
    const insertCommit = async (sha: string, parent: string | null, message: string, at: string, files: Record<string, string>) => {
      const [{ id }] = await db.query(
        `INSERT INTO repository_commits (project_id, sha, parent_sha, message, author_name, author_email, created_at)
         VALUES ($1, $2, $3, $4, 'Old Author', 'old@example.com', $5) RETURNING id`,
        [fixture.projectId, sha, parent, message, at],
      );
      for (const [path, content] of Object.entries(files)) {
        await db.query('INSERT INTO repository_files (commit_id, path, content, last_commit_sha) VALUES ($1, $2, $3, $4)', [
          id,
          path,
          Buffer.from(content),
          sha,
        ]);
      }
    };
    await insertCommit(first, null, 'First', '2025-01-01T00:00:00Z', { 'a.txt': 'one' });
    await insertCommit(second, first, 'Second\n\nWith a body', '2025-01-02T00:00:00Z', { 'a.txt': 'two', 'dir/b c.txt': 'spaced' });
    await db.query(
      `INSERT INTO repository_refs (project_id, name, ref_type, commit_sha, message) VALUES
         ($1, 'main', 'branch', $2, NULL), ($1, 'v1', 'tag', $3, 'Release one'), ($1, 'light', 'tag', $2, NULL)`,
      [fixture.projectId, second, first],
    );
    await db.query(`UPDATE projects SET default_branch = 'main' WHERE id = $1`, [fixture.projectId]);
    await db.query('INSERT INTO repository_legacy_histories (project_id) VALUES ($1)', [fixture.projectId]);

    expect(await api.app.get(RepositoryStartup).convertLegacyHistories()).toBeGreaterThanOrEqual(1);

    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    expect(git(fixture.projectId, 'rev-parse', 'refs/heads/main')).toBe(head);
    expect(git(fixture.projectId, 'log', '--format=%s|%an|%ad', '--date=iso-strict', 'main').split('\n')).toEqual([
      'Second|Old Author|2025-01-02T00:00:00+00:00',
      'First|Old Author|2025-01-01T00:00:00+00:00',
    ]);
    expect(git(fixture.projectId, 'show', 'main:dir/b c.txt')).toBe('spaced');
    expect(git(fixture.projectId, 'show', 'v1:a.txt')).toBe('one');
    expect(git(fixture.projectId, 'cat-file', '-t', 'refs/tags/v1')).toBe('tag');
    expect(git(fixture.projectId, 'rev-parse', 'refs/tags/light')).toBe(head);
    expect(git(fixture.projectId, 'fsck', '--strict', '--no-dangling')).toBe('');
    const file = await api.http
      .get(`/api/v4/projects/${fixture.projectId}/repository/files/a.txt?ref=v1`)
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .expect(200);
    expect(file.body).toMatchObject({
      commit_id: git(fixture.projectId, 'rev-parse', 'v1^{commit}'),
      content: Buffer.from('one').toString('base64'),
    });
    const stale: unknown[] = await db.query('SELECT 1 FROM repository_commits WHERE sha = ANY($1)', [[first, second]]);
    expect(stale).toEqual([]);
  });

  it('removes at start the repository of a project whose delete committed before its removal', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const path = storage.pathFor(fixture.projectId);
    await api.app.get(GitStorage).open(fixture.projectId);
    // The crash: the row is gone, the directory is not.
    await api.http.delete(`/api/v4/projects/${fixture.projectId}`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(202);
    execFileSync('git', ['init', '--bare', '-q', path]);
    execFileSync('git', ['--git-dir', path, 'config', 'lanyard.projectid', String(fixture.projectId)]);
    const alive = await createRepositoryFixture(api);
    await commitFile(api, alive.maintainer, alive.projectId, 'a.txt', 'a');

    const restarted = await startTestApp();
    await restarted.close();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(storage.pathFor(alive.projectId))).toBe(true);
  });
});
