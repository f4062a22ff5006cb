import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RepositoryService } from '../src/repository/repository.service';
import { branchHead, commitFile, createRepositoryFixture, fileUrl } from './support/repository-fixtures';
import { TestApp, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

describe('Repository files API', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('creates the first branch and the default branch when the first file lands in an empty repository', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const before = await api.http.get(`/api/v4/projects/${projectId}`).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(before.body).toMatchObject({ default_branch: null, empty_repo: true });
    const created = await commitFile(api, developer, projectId, '.gitlab-ci.yml', 'test:\n  script: echo hi\n');
    expect(created.body).toEqual({ file_path: '.gitlab-ci.yml', branch: 'main' });
    const after = await api.http.get(`/api/v4/projects/${projectId}`).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(after.body).toMatchObject({ default_branch: 'main', empty_repo: false });
    const branches = await api.http
      .get(`/api/v4/projects/${projectId}/repository/branches`)
      .set('PRIVATE-TOKEN', developer.token)
      .expect(200);
    expect(branches.body.map((b: { name: string }) => b.name)).toEqual(['main']);
    expect(branches.body[0].commit).toMatchObject({ parent_ids: [], title: 'Add .gitlab-ci.yml', author_name: developer.username });
  });

  it("returns a file in GitLab's shape, its raw bytes, and the default branch when no ref is given", async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const content = 'stages: [test]\nüñí: "✓"\n';
    await commitFile(api, developer, projectId, 'ci/templates/base.yml', content);
    const head = await branchHead(api, developer, projectId, 'main');
    const file = await api.http
      .get(fileUrl(projectId, 'ci/templates/base.yml'))
      .query({ ref: 'main' })
      .set('PRIVATE-TOKEN', developer.token)
      .expect(200);
    const bytes = Buffer.from(content, 'utf8');
    expect(file.body).toEqual({
      file_name: 'base.yml',
      file_path: 'ci/templates/base.yml',
      size: bytes.length,
      encoding: 'base64',
      content: bytes.toString('base64'),
      content_sha256: createHash('sha256').update(bytes).digest('hex'),
      ref: 'main',
      blob_id: createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
      commit_id: head,
      last_commit_id: head,
      execute_filemode: false,
    });
    const byDefault = await api.http.get(fileUrl(projectId, 'ci/templates/base.yml')).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(byDefault.body).toMatchObject({ ref: 'main', commit_id: head });
    const raw = await api.http
      .get(fileUrl(projectId, 'ci/templates/base.yml', '/raw'))
      .query({ ref: head })
      .set('PRIVATE-TOKEN', developer.token)
      .expect(200);
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect(raw.text).toBe(content);
  });

  it('round-trips binary content sent as base64', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
    await commitFile(api, developer, projectId, 'bin/blob.dat', bytes.toString('base64'), 'main', { encoding: 'base64' });
    const file = await api.http
      .get(fileUrl(projectId, 'bin/blob.dat'))
      .query({ ref: 'main' })
      .set('PRIVATE-TOKEN', developer.token)
      .expect(200);
    expect(Buffer.from(file.body.content, 'base64').equals(bytes)).toBe(true);
    expect(file.body.size).toBe(512);
    const raw = await api.http
      .get(fileUrl(projectId, 'bin/blob.dat', '/raw'))
      .query({ ref: 'main' })
      .set('PRIVATE-TOKEN', developer.token)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(raw.headers['content-type']).toBe('application/octet-stream');
    expect((raw.body as Buffer).equals(bytes)).toBe(true);
  });

  it('updates a file with PUT, keeping the rest of the tree and each file’s last commit', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const first = await branchHead(api, developer, projectId, 'main');
    await commitFile(api, developer, projectId, 'b.txt', 'two');
    const updated = await api.http
      .put(fileUrl(projectId, 'b.txt'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'main', content: 'two, edited', commit_message: 'Edit b' })
      .expect(200);
    expect(updated.body).toEqual({ file_path: 'b.txt', branch: 'main' });
    const head = await branchHead(api, developer, projectId, 'main');
    const a = await api.http.get(fileUrl(projectId, 'a.txt')).set('PRIVATE-TOKEN', developer.token).expect(200);
    const b = await api.http.get(fileUrl(projectId, 'b.txt')).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(a.body).toMatchObject({ commit_id: head, last_commit_id: first });
    expect(b.body).toMatchObject({ commit_id: head, last_commit_id: head, content: Buffer.from('two, edited').toString('base64') });
    const old = await api.http.get(fileUrl(projectId, 'b.txt')).query({ ref: first }).set('PRIVATE-TOKEN', developer.token).expect(404);
    expect(old.body).toEqual({ message: '404 File Not Found' });
  });

  it.each([
    ['create an existing file', 'post', 'a.txt', {}, 'A file with this name already exists'],
    ['update a missing file', 'put', 'missing.txt', {}, "A file with this name doesn't exist"],
    ['create a file under a file', 'post', 'a.txt/nested', {}, 'A file with this name already exists'],
    ['create a file over a directory', 'post', 'dir', {}, 'A directory with this name already exists'],
    [
      'create on a missing branch without start_branch',
      'post',
      'new.txt',
      { branch: 'topic' },
      'You can only create or edit files when you are on a branch',
    ],
    [
      'start from a missing branch',
      'post',
      'new.txt',
      { branch: 'topic', start_branch: 'nope' },
      'You can only create or edit files when you are on a branch',
    ],
    ['create a branch with an invalid name', 'post', 'new.txt', { branch: 'bad..name', start_branch: 'main' }, 'Branch name is invalid'],
    [
      'start_branch on an existing branch',
      'post',
      'new.txt',
      { branch: 'main', start_branch: 'other' },
      "A branch called 'main' already exists. Switch to that branch in order to make changes",
    ],
  ])('refuses to %s with 400', async (_case, method, path, extra, message) => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    await commitFile(api, developer, projectId, 'dir/inside.txt', 'two');
    const response = await api.http[method as 'post' | 'put'](fileUrl(projectId, path))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'main', content: 'x', commit_message: 'm', ...extra })
      .expect(400);
    expect(response.body).toEqual({ message });
  });

  it('creates a branch from start_branch with the start branch’s tree', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const main = await branchHead(api, developer, projectId, 'main');
    await commitFile(api, developer, projectId, 'b.txt', 'two', 'feature/b', { start_branch: 'main' });
    const feature = await api.http
      .get(`/api/v4/projects/${projectId}/repository/branches/feature%2Fb`)
      .set('PRIVATE-TOKEN', developer.token)
      .expect(200);
    expect(feature.body.commit.parent_ids).toEqual([main]);
    await api.http.get(fileUrl(projectId, 'a.txt')).query({ ref: 'feature/b' }).set('PRIVATE-TOKEN', developer.token).expect(200);
    await api.http.get(fileUrl(projectId, 'b.txt')).query({ ref: 'main' }).set('PRIVATE-TOKEN', developer.token).expect(404);
    const project = await api.http.get(`/api/v4/projects/${projectId}`).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(project.body.default_branch).toBe('main');
  });

  it.each([
    ['a parent segment', '../etc/passwd'],
    ['a parent segment in the middle', 'a/../../b'],
    ['a leading slash', '/etc/passwd'],
    ['an empty segment', 'a//b'],
    ['a trailing slash', 'a/'],
    ['a dot segment', './a'],
    ['NUL', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['a .git segment', '.git/config'],
    ['an over-long path', 'x'.repeat(1025)],
  ])('rejects a file path with %s with 400 naming file_path', async (_case, path) => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const body = { branch: 'main', content: 'x', commit_message: 'm' };
    const post = await api.http.post(fileUrl(projectId, path)).set('PRIVATE-TOKEN', developer.token).send(body).expect(400);
    expect(refusedFields(post.body)).toEqual(['file_path']);
    await api.http.get(fileUrl(projectId, path)).set('PRIVATE-TOKEN', developer.token).expect(400);
  });

  it.each([
    ['no branch', 'branch', { content: 'x', commit_message: 'm' }],
    ['no content', 'content', { branch: 'main', commit_message: 'm' }],
    ['no commit message', 'commit_message', { branch: 'main', content: 'x' }],
    ['an empty commit message', 'commit_message', { branch: 'main', content: 'x', commit_message: '' }],
    ['a NUL in the commit message', 'commit_message', { branch: 'main', content: 'x', commit_message: 'a\u0000b' }],
    ['an unknown encoding', 'encoding', { branch: 'main', content: 'x', commit_message: 'm', encoding: 'hex' }],
    ['invalid base64', 'content', { branch: 'main', content: 'not base64!', commit_message: 'm', encoding: 'base64' }],
    ['content over 1 MB', 'content', { branch: 'main', content: 'x'.repeat(1024 * 1024 + 1), commit_message: 'm' }],
    [
      'content over 1 MB in base64',
      'content',
      { branch: 'main', content: Buffer.alloc(1024 * 1024 + 1).toString('base64'), commit_message: 'm', encoding: 'base64' },
    ],
    ['a non-string content', 'content', { branch: 'main', content: { a: 1 }, commit_message: 'm' }],
  ])('rejects a body with %s with 400 naming %s', async (_case, field, body) => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const response = await api.http.post(fileUrl(projectId, 'f.txt')).set('PRIVATE-TOKEN', developer.token).send(body).expect(400);
    expect(refusedFields(response.body)).toContain(field);
  });

  it('answers 401 without a token, 404 to outsiders, 403 to reporters writing and guests reading', async () => {
    const { projectId, developer, reporter, guest, outsider } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const body = { branch: 'main', content: 'x', commit_message: 'm' };
    await api.http.get(fileUrl(projectId, 'a.txt')).expect(401);
    await api.http.post(fileUrl(projectId, 'b.txt')).send(body).expect(401);
    const hidden = await api.http.get(fileUrl(projectId, 'a.txt')).set('PRIVATE-TOKEN', outsider.token).expect(404);
    expect(hidden.body).toEqual({ message: '404 Project Not Found' });
    await api.http.post(fileUrl(projectId, 'b.txt')).set('PRIVATE-TOKEN', outsider.token).send(body).expect(404);
    await api.http.get(fileUrl(projectId, 'a.txt')).set('PRIVATE-TOKEN', reporter.token).expect(200);
    await api.http.post(fileUrl(projectId, 'b.txt')).set('PRIVATE-TOKEN', reporter.token).send(body).expect(403);
    await api.http.put(fileUrl(projectId, 'a.txt')).set('PRIVATE-TOKEN', reporter.token).send(body).expect(403);
    await api.http.get(fileUrl(projectId, 'a.txt')).set('PRIVATE-TOKEN', guest.token).expect(403);
    await api.http.get(`/api/v4/projects/${projectId}/repository/branches`).set('PRIVATE-TOKEN', guest.token).expect(403);
  });

  it('lets anyone who can see a public project read its code, and nobody outside write to it', async () => {
    const { projectId, developer, outsider } = await createRepositoryFixture(api, 'public', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    await api.http
      .get(fileUrl(projectId, 'a.txt', '/raw'))
      .set('PRIVATE-TOKEN', outsider.token)
      .expect(200);
    await api.http
      .post(fileUrl(projectId, 'b.txt'))
      .set('PRIVATE-TOKEN', outsider.token)
      .send({ branch: 'main', content: 'x', commit_message: 'm' })
      .expect(403);
  });

  it('answers 404 for unknown refs and files', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const empty = await api.http.get(fileUrl(projectId, 'a.txt')).set('PRIVATE-TOKEN', developer.token).expect(404);
    expect(empty.body).toEqual({ message: '404 Commit Not Found' });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const ref = await api.http.get(fileUrl(projectId, 'a.txt')).query({ ref: 'nope' }).set('PRIVATE-TOKEN', developer.token).expect(404);
    expect(ref.body).toEqual({ message: '404 Commit Not Found' });
    const file = await api.http
      .get(fileUrl(projectId, 'b.txt', '/raw'))
      .set('PRIVATE-TOKEN', developer.token)
      .expect(404);
    expect(file.body).toEqual({ message: '404 File Not Found' });
    await api.http
      .get(fileUrl(projectId, 'a.txt'))
      .query({ ref: ['a', 'b'] })
      .set('PRIVATE-TOKEN', developer.token)
      .expect(400);
  });

  it('serializes concurrent commits to one branch: all land, each on the previous one', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'seed.txt', 'seed');
    const seed = await branchHead(api, developer, projectId, 'main');
    const paths = ['p1', 'p2', 'p3', 'p4', 'p5'].map((name) => `parallel/${name}.txt`);
    await Promise.all(paths.map((path) => commitFile(api, developer, projectId, path, path)));
    let sha = await branchHead(api, developer, projectId, 'main');
    const chain: string[] = [];
    while (sha !== seed) {
      chain.push(sha);
      const commit = await api.http
        .get(`/api/v4/projects/${projectId}/repository/commits/${sha}`)
        .set('PRIVATE-TOKEN', developer.token)
        .expect(200);
      expect(commit.body.parent_ids).toHaveLength(1);
      sha = commit.body.parent_ids[0];
      expect(chain.length).toBeLessThanOrEqual(paths.length);
    }
    expect(chain).toHaveLength(paths.length);
    for (const path of [...paths, 'seed.txt']) {
      await api.http.get(fileUrl(projectId, path)).set('PRIVATE-TOKEN', developer.token).expect(200);
    }
  });

  it('serializes concurrent first commits to an empty repository into one branch', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const paths = ['first/a.txt', 'first/b.txt', 'first/c.txt', 'first/d.txt'];
    await Promise.all(paths.map((path) => commitFile(api, developer, projectId, path, path)));
    let sha: string | undefined = await branchHead(api, developer, projectId, 'main');
    let depth = 0;
    while (sha) {
      const commit = await api.http
        .get(`/api/v4/projects/${projectId}/repository/commits/${sha}`)
        .set('PRIVATE-TOKEN', developer.token)
        .expect(200);
      const parents: string[] = commit.body.parent_ids;
      sha = parents[0];
      depth += 1;
    }
    expect(depth).toBe(paths.length);
    for (const path of paths) await api.http.get(fileUrl(projectId, path)).set('PRIVATE-TOKEN', developer.token).expect(200);
  });

  it('serves readFile, resolveRef and isProtectedRef to other modules inside a transaction', async () => {
    const { projectId, developer, maintainer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, '.gitlab-ci.yml', 'job: {}\n');
    await api.http
      .post(`/api/v4/projects/${projectId}/repository/tags`)
      .set('PRIVATE-TOKEN', developer.token)
      .send({ tag_name: 'v1', ref: 'main' })
      .expect(201);
    await api.http
      .post(`/api/v4/projects/${projectId}/protected_branches`)
      .set('PRIVATE-TOKEN', maintainer.token)
      .send({ name: 'ma*' })
      .expect(201);
    const head = await branchHead(api, developer, projectId, 'main');
    const repository = api.app.get(RepositoryService);
    await api.app.get(DataSource).transaction(async (tx) => {
      expect(await repository.resolveRef(tx, projectId, 'main')).toEqual({ sha: head, refType: 'branch', name: 'main' });
      expect(await repository.resolveRef(tx, projectId, 'refs/tags/v1')).toEqual({ sha: head, refType: 'tag', name: 'v1' });
      expect(await repository.resolveRef(tx, projectId, 'refs/heads/v1')).toBeNull();
      expect(await repository.resolveRef(tx, projectId, head)).toBeNull();
      const file = await repository.readFile(tx, projectId, 'v1', '.gitlab-ci.yml');
      expect(file).toMatchObject({ commitSha: head, refType: 'tag' });
      expect(file!.content.toString()).toBe('job: {}\n');
      expect(await repository.readFile(tx, projectId, 'main', 'missing.yml')).toBeNull();
      expect(await repository.isProtectedRef(tx, projectId, 'main', 'branch')).toBe(true);
      expect(await repository.isProtectedRef(tx, projectId, 'main', 'tag')).toBe(false);
      expect(await repository.isProtectedRef(tx, projectId, 'v1', 'tag')).toBe(false);
    });
  });
});
