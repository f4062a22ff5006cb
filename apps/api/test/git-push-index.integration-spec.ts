import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { gitClients } from './support/git-client';
import { startListeningTestApp } from './support/listening-app';
import { commitFile } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser } from './support/test-app';

/** Issue 17: a push indexes what it needs (its tips' trees), not every pushed commit's whole tree. */
describe('indexing a push', () => {
  let api: TestApp & { baseUrl: string };
  let owner: TestUser;
  let clients: ReturnType<typeof gitClients>;
  let sequence = 0;

  beforeAll(async () => {
    api = await startListeningTestApp();
    owner = await createUser(api, 'index');
    clients = gitClients(api);
  });

  afterAll(async () => {
    await api.close();
    clients.cleanUp();
  });

  /** A project with a README on main, cloned by its owner; `commit` writes several files, in folders too. */
  async function clonedProject() {
    const project = await resources(api).project(owner);
    await commitFile(api, owner, project.id, 'README.md', '# readme', 'main');
    const { dir, git } = await clients.cloneAs(owner, project.id);
    sequence += 1;
    const commit = async (files: Record<string, string>, message: string) => {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
        await git('add', path);
      }
      await git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    };
    return { projectId: project.id, git, commit };
  }

  const fileRows = async (projectId: number): Promise<number> => {
    const [{ count }]: { count: string }[] = await api.app
      .get(DataSource)
      .query('SELECT count(*) FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id WHERE c.project_id = $1', [
        projectId,
      ]);
    return Number(count);
  };

  /** 60 commits, each adding three files and rewriting `counter.txt`: the shas, oldest first. */
  async function pushLongHistory(clone: Awaited<ReturnType<typeof clonedProject>>): Promise<string[]> {
    const shas: string[] = [];
    for (let i = 1; i <= 60; i += 1) {
      shas.push(
        await clone.commit(
          { [`f${i}/a.txt`]: `a${i}`, [`f${i}/b.txt`]: `b${i}`, [`f${i}/c.txt`]: `c${i}`, 'counter.txt': `${i}` },
          `c${i}`,
        ),
      );
    }
    await clone.git('push', '-q', 'origin', 'main');
    return shas;
  }

  it('writes one tree for a push of 60 commits, not one per commit', async () => {
    const clone = await clonedProject();
    const before = await fileRows(clone.projectId);
    const shas = await pushLongHistory(clone);
    const tipFiles = (await clone.git('ls-tree', '-r', '--name-only', shas[59])).split('\n').length;
    expect(tipFiles).toBe(1 + 60 * 3 + 1);
    // Every commit's whole tree would be 60 × (README + counter) + 3 × (1 + … + 60) = 5,610 rows.
    expect((await fileRows(clone.projectId)) - before).toBe(tipFiles);
    const commits = await client(api, owner).get(`/projects/${clone.projectId}/repository/commits/${shas[29]}`).expect(200);
    expect(commits.body.id).toBe(shas[29]);
  });

  it('reads a file at an intermediate commit, with the commit that last changed it there', async () => {
    const clone = await clonedProject();
    const shas = await pushLongHistory(clone);
    const file = (path: string, ref: string) =>
      client(api, owner).get(`/projects/${clone.projectId}/repository/files/${encodeURIComponent(path)}?ref=${ref}`);

    const counter = (await file('counter.txt', shas[9]).expect(200)).body;
    expect(Buffer.from(counter.content, 'base64').toString()).toBe('10');
    expect(counter).toMatchObject({ commit_id: shas[9], last_commit_id: shas[9] });
    const older = (await file('f3/b.txt', shas[9]).expect(200)).body;
    expect(Buffer.from(older.content, 'base64').toString()).toBe('b3');
    expect(older.last_commit_id).toBe(shas[2]);
    await file('f11/a.txt', shas[9]).expect(404);
    const raw = await client(api, owner).get(`/projects/${clone.projectId}/repository/files/counter.txt/raw?ref=${shas[19]}`).expect(200);
    expect(raw.text).toBe('20');
  });

  it('gives each file the last_commit_id of `git log -1 -- <path>` across merges, at the tip and at a merge', async () => {
    const clone = await clonedProject();
    await clone.commit({ 'shared.txt': 'base', 'kept.txt': 'base' }, 'base');
    await clone.git('checkout', '-q', '-b', 'side');
    await clone.commit({ 'feature.txt': 'feature' }, 'feature on the side');
    await clone.git('checkout', '-q', '-b', 'discarded', 'main');
    await clone.commit({ 'kept.txt': 'discarded' }, 'a change the merge throws away');
    await clone.git('checkout', '-q', 'main');
    await clone.commit({ 'shared.txt': 'main' }, 'main moves on');
    await clone.git('merge', '-q', '--no-ff', '--no-edit', 'side');
    await clone.git('merge', '-q', '-s', 'ours', '--no-edit', 'discarded');
    const merge = await clone.git('rev-parse', 'HEAD');
    await clone.commit({ 'after.txt': 'after' }, 'after the merges');
    await clone.git('push', '-q', 'origin', 'main');

    for (const ref of [await clone.git('rev-parse', 'HEAD'), merge]) {
      for (const path of ['README.md', 'shared.txt', 'kept.txt', 'feature.txt']) {
        const expected = await clone.git('log', '-1', '--format=%H', ref, '--', path);
        const file = await client(api, owner).get(`/projects/${clone.projectId}/repository/files/${path}?ref=${ref}`).expect(200);
        expect({ path, last: file.body.last_commit_id }).toEqual({ path, last: expected });
      }
    }
  });

  it('reads a fork at a commit its source never indexed the tree of', async () => {
    const clone = await clonedProject();
    const middle = await clone.commit({ 'notes.txt': 'first' }, 'first');
    await clone.commit({ 'notes.txt': 'second' }, 'second');
    await clone.git('push', '-q', 'origin', 'main');
    const fork = (
      await client(api, owner)
        .post(`/projects/${clone.projectId}/fork`, { path: `fork-${sequence}`, name: `fork-${sequence}` })
        .expect(201)
    ).body;

    const file = await client(api, owner).get(`/projects/${fork.id}/repository/files/notes.txt?ref=${middle}`).expect(200);
    expect(Buffer.from(file.body.content, 'base64').toString()).toBe('first');
    expect(file.body.last_commit_id).toBe(middle);
  });

  it('evaluates rules:changes of a merge-request pipeline from a merge base no push made a tip', async () => {
    const clone = await clonedProject();
    const ci = `
docs:
  script: [x]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
      changes: ['docs/**/*']
code:
  script: [x]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
      changes: ['src/**/*']
`;
    await clone.commit({ '.gitlab-ci.yml': ci }, 'ci');
    await clone.commit({ 'docs/a.md': 'a' }, 'docs');
    await clone.commit({ 'src/a.go': 'package a' }, 'the merge base');
    await clone.git('checkout', '-q', '-b', 'feature');
    await clone.commit({ 'src/f.go': 'package f' }, 'f1');
    await clone.commit({ 'src/g.go': 'package g' }, 'f2');
    await clone.git('checkout', '-q', 'main');
    await clone.commit({ 'docs/m.md': 'm' }, 'main moves on');
    await clone.commit({ 'docs/n.md': 'n' }, 'and on');
    await clone.git('push', '-q', 'origin', 'main', 'feature');

    const mr = (
      await client(api, owner)
        .post(`/projects/${clone.projectId}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'Feature' })
        .expect(201)
    ).body;
    const pipeline = await client(api, owner).post(`/projects/${clone.projectId}/merge_requests/${mr.iid}/pipelines`).expect(200);
    const jobs = await client(api, owner).get(`/projects/${clone.projectId}/pipelines/${pipeline.body.id}/jobs`).expect(200);
    expect(jobs.body.map((job: { name: string }) => job.name)).toEqual(['code']);
  });
});
