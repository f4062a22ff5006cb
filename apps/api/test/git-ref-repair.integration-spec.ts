import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { GitStorage } from '../src/repository/git-storage';
import { RefWrites } from '../src/repository/git/ref-writes';
import { branchHead, commitFile, createRepositoryFixture, fileUrl } from './support/repository-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { TestApp } from './support/test-app';

const run = promisify(execFile);

/**
 * Issue 17: git moves a ref before the database commits the index of the move. A failure between the two (here: the
 * commit of a doomed project's ref rows fails, as when PostgreSQL goes away at COMMIT) must not leave git ahead of the
 * index for good: the writer repairs at once, and what it cannot repair (the database still failing) is repaired at
 * start. Git is the source of truth: the index follows it.
 */
describe('git refs and their index after a failed commit', () => {
  let api: TestApp & { baseUrl: string };
  let db: DataSource;
  let storage: GitStorage;
  let work: string;

  beforeAll(async () => {
    api = await startListeningTestApp();
    db = api.app.get(DataSource);
    storage = api.app.get(GitStorage);
    work = mkdtempSync(join(tmpdir(), 'lanyard-ref-repair-'));
    // The next `shots` commits that write a doomed project's ref rows fail at COMMIT with a connection failure (a
    // deferred trigger runs at COMMIT; sequences are not transactional, so a failed commit still uses up its shot).
    await db.query(`CREATE SEQUENCE IF NOT EXISTS test_doom_shots`);
    await db.query(`CREATE TABLE IF NOT EXISTS test_doomed_projects (project_id bigint PRIMARY KEY, until bigint NOT NULL)`);
    await db.query(`
      CREATE OR REPLACE FUNCTION test_fail_doomed_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        doomed_until bigint;
      BEGIN
        SELECT until INTO doomed_until FROM test_doomed_projects WHERE project_id = COALESCE(NEW.project_id, OLD.project_id);
        IF doomed_until IS NOT NULL AND nextval('test_doom_shots') <= doomed_until THEN
          RAISE EXCEPTION 'simulated loss of the database at COMMIT' USING ERRCODE = '08006';
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`DROP TRIGGER IF EXISTS test_fail_doomed_commit ON repository_refs`);
    await db.query(`
      CREATE CONSTRAINT TRIGGER test_fail_doomed_commit AFTER INSERT OR UPDATE OR DELETE ON repository_refs
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_doomed_commit()`);
  });

  afterAll(async () => {
    await db.query(`DROP TRIGGER IF EXISTS test_fail_doomed_commit ON repository_refs`);
    await db.query(`DROP FUNCTION IF EXISTS test_fail_doomed_commit()`);
    await db.query(`DROP TABLE IF EXISTS test_doomed_projects`);
    await db.query(`DROP SEQUENCE IF EXISTS test_doom_shots`);
    await api.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** The next `shots` commits writing the project's ref rows fail. */
  async function doom(projectId: number, shots: number) {
    await db.query(
      `INSERT INTO test_doomed_projects (project_id, until) VALUES ($1, nextval('test_doom_shots') + $2)
       ON CONFLICT (project_id) DO UPDATE SET until = EXCLUDED.until`,
      [projectId, shots],
    );
  }

  /** What git's ref names, '' when git has no such ref. */
  const gitRef = (projectId: number, ref: string) => {
    try {
      return execFileSync('git', ['rev-parse', '--verify', '--quiet', ref], {
        env: { PATH: process.env.PATH, GIT_DIR: storage.pathFor(projectId) },
      })
        .toString('utf8')
        .trim();
    } catch {
      return '';
    }
  };
  const intents = async (projectId: number) =>
    Number((await db.query('SELECT count(*) AS n FROM repository_ref_intents WHERE project_id = $1', [projectId]))[0].n);

  it('a files-API commit whose index failed to commit is indexed at once: the branch takes the next commit', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'one');
    const before = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    await doom(fixture.projectId, 1);

    const failed = await api.http
      .put(fileUrl(fixture.projectId, 'a.txt'))
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .send({ branch: 'main', content: 'two', commit_message: 'Update a.txt' });
    expect(failed.status).toBe(503);

    // Git moved main before the commit failed; the index follows git, so the write the client may retry finds it.
    const moved = gitRef(fixture.projectId, 'refs/heads/main');
    expect(moved).not.toBe(before);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(moved);
    const raw = await api.http.get(fileUrl(fixture.projectId, 'a.txt', '/raw?ref=main')).set('PRIVATE-TOKEN', fixture.maintainer.token);
    expect(raw.text).toBe('two');
    expect(await intents(fixture.projectId)).toBe(0);
    await api.http
      .put(fileUrl(fixture.projectId, 'a.txt'))
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .send({ branch: 'main', content: 'three', commit_message: 'Update a.txt again' })
      .expect(200);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(gitRef(fixture.projectId, 'refs/heads/main'));
  });

  it('when the repair fails too, the intent stays and the start repairs it (a young intent waits out the sweep)', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'one');
    const before = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    await doom(fixture.projectId, 2);

    await api.http
      .put(fileUrl(fixture.projectId, 'a.txt'))
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .send({ branch: 'main', content: 'two', commit_message: 'Update a.txt' })
      .expect(503);
    const moved = gitRef(fixture.projectId, 'refs/heads/main');
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(before);
    expect(await intents(fixture.projectId)).toBe(1);

    const refs = api.app.get(RefWrites);
    expect(await refs.repairPending(60_000)).toBe(0);
    expect(await refs.repairPending(null)).toBeGreaterThanOrEqual(1);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(moved);
    expect(await intents(fixture.projectId)).toBe(0);
  });

  it('a branch deleted in git whose index kept it is dropped from the index', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'one');
    const base = `/api/v4/projects/${fixture.projectId}/repository/branches`;
    await api.http.post(base).set('PRIVATE-TOKEN', fixture.maintainer.token).send({ branch: 'topic', ref: 'main' }).expect(201);
    await doom(fixture.projectId, 1);

    await api.http.delete(`${base}/topic`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(503);
    expect(gitRef(fixture.projectId, 'refs/heads/topic')).toBe('');
    await api.http.get(`${base}/topic`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(404);
    await api.http.post(base).set('PRIVATE-TOKEN', fixture.maintainer.token).send({ branch: 'topic', ref: 'main' }).expect(201);
  });

  it("an empty project's first push whose index failed gets its branch indexed, adopted as default and protected", async () => {
    const fixture = await createRepositoryFixture(api);
    const project = await api.http.get(`/api/v4/projects/${fixture.projectId}`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(200);
    const url = `${api.baseUrl}/${project.body.path_with_namespace}.git`.replace(
      '://',
      `://${fixture.maintainer.username}:${fixture.maintainer.token}@`,
    );
    const dir = join(work, 'first-push');
    const env = { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
    const git = (...args: string[]) =>
      run('git', ['-c', 'user.name=Pusher', '-c', 'user.email=pusher@example.com', ...args], { cwd: dir, env });
    await run('git', ['init', '-q', '-b', 'main', dir], { env });
    writeFileSync(join(dir, 'README.md'), 'hello\n');
    await git('add', 'README.md');
    await git('commit', '-q', '-m', 'First');
    const head = (await git('rev-parse', 'HEAD')).stdout.trim();
    await doom(fixture.projectId, 1);

    await git('push', '-q', url, 'main').catch(() => undefined);

    expect(gitRef(fixture.projectId, 'refs/heads/main')).toBe(head);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
    const after = await api.http.get(`/api/v4/projects/${fixture.projectId}`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(200);
    expect(after.body.default_branch).toBe('main');
    const protectedMain = await api.http
      .get(`/api/v4/projects/${fixture.projectId}/protected_branches/main`)
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .expect(200);
    expect(protectedMain.body.name).toBe('main');
    expect(await intents(fixture.projectId)).toBe(0);
  });
});
