import { branchHead, commitFile, createRepositoryFixture } from './support/repository-fixtures';
import { TestApp, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

describe('Repository branches, tags and commits API', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const repo = (projectId: number, rest: string) => `/api/v4/projects/${projectId}/repository/${rest}`;

  it("creates a branch from a branch, a tag or a sha, and answers GitLab's branch shape", async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const head = await branchHead(api, developer, projectId, 'main');
    await api.http.post(repo(projectId, 'tags')).set('PRIVATE-TOKEN', developer.token).send({ tag_name: 'v1.0', ref: 'main' }).expect(201);
    const fromBranch = await api.http
      .post(repo(projectId, 'branches'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'feature/x', ref: 'main' })
      .expect(201);
    expect(fromBranch.body).toEqual({
      name: 'feature/x',
      commit: expect.objectContaining({
        id: head,
        short_id: head.slice(0, 8),
        title: 'Add a.txt',
        message: 'Add a.txt',
        author_name: developer.username,
        author_email: `${developer.username}@example.com`,
        authored_date: expect.any(String),
        committed_date: expect.any(String),
        created_at: expect.any(String),
        parent_ids: [],
        web_url: expect.stringMatching(new RegExp(`^http://lanyard\\.test/.+/-/commit/${head}$`)),
      }),
      merged: false,
      protected: false,
      default: false,
      developers_can_push: false,
      developers_can_merge: false,
      can_push: true,
      web_url: expect.stringMatching(/\/-\/tree\/feature\/x$/),
    });
    const fromTag = await api.http
      .post(repo(projectId, 'branches'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'from-tag', ref: 'v1.0' })
      .expect(201);
    const fromSha = await api.http
      .post(repo(projectId, 'branches'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'from-sha', ref: head })
      .expect(201);
    expect([fromTag.body.commit.id, fromSha.body.commit.id]).toEqual([head, head]);
    const shown = await api.http.get(repo(projectId, 'branches/feature%2Fx')).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(shown.body).toEqual(fromBranch.body);
    const main = await api.http.get(repo(projectId, 'branches/main')).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(main.body).toMatchObject({ default: true, protected: true });
  });

  it('lists branches by name, a page at a time with GitLab headers', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    for (const branch of ['c', 'b', 'a/z']) {
      await api.http.post(repo(projectId, 'branches')).set('PRIVATE-TOKEN', developer.token).send({ branch, ref: 'main' }).expect(201);
    }
    const first = await api.http.get(repo(projectId, 'branches')).query({ per_page: 3 }).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(first.body.map((b: { name: string }) => b.name)).toEqual(['a/z', 'b', 'c']);
    expect(first.headers).toMatchObject({ 'x-total': '4', 'x-total-pages': '2', 'x-next-page': '2' });
    const second = await api.http
      .get(repo(projectId, 'branches'))
      .query({ per_page: 3, page: 2 })
      .set('PRIVATE-TOKEN', developer.token)
      .expect(200);
    expect(second.body.map((b: { name: string }) => b.name)).toEqual(['main']);
  });

  it.each([
    ['two dots', { branch: 'a..b', ref: 'main' }, 'Branch name is invalid'],
    ['a leading dash', { branch: '-x', ref: 'main' }, 'Branch name is invalid'],
    ['a space', { branch: 'a b', ref: 'main' }, 'Branch name is invalid'],
    ['HEAD', { branch: 'HEAD', ref: 'main' }, 'Branch name is invalid'],
    ['a refs/ prefix', { branch: 'refs/heads/x', ref: 'main' }, 'Branch name is invalid'],
    ['an existing name', { branch: 'main', ref: 'main' }, 'Branch already exists'],
    ['an unknown ref', { branch: 'new', ref: 'nope' }, 'Invalid reference name'],
    ['an unknown sha', { branch: 'new', ref: '0'.repeat(40) }, 'Invalid reference name'],
  ])('refuses a branch with %s with 400', async (_case, body, message) => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const response = await api.http.post(repo(projectId, 'branches')).set('PRIVATE-TOKEN', developer.token).send(body).expect(400);
    expect(response.body).toEqual({ message });
  });

  it('rejects malformed branch bodies with 400 naming the field', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    const missing = await api.http
      .post(repo(projectId, 'branches'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ ref: 'main' })
      .expect(400);
    expect(refusedFields(missing.body)).toEqual(['branch']);
    const long = await api.http
      .post(repo(projectId, 'branches'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'x'.repeat(256), ref: 'main' })
      .expect(400);
    expect(refusedFields(long.body)).toEqual(['branch']);
  });

  it('deletes a branch (204) but never the default one (403)', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    await api.http
      .post(repo(projectId, 'branches'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'topic/1', ref: 'main' })
      .expect(201);
    await api.http.delete(repo(projectId, 'branches/topic%2F1')).set('PRIVATE-TOKEN', developer.token).expect(204);
    const gone = await api.http.get(repo(projectId, 'branches/topic%2F1')).set('PRIVATE-TOKEN', developer.token).expect(404);
    expect(gone.body).toEqual({ message: '404 Branch Not Found' });
    await api.http.delete(repo(projectId, 'branches/topic%2F1')).set('PRIVATE-TOKEN', developer.token).expect(404);
    await api.http.delete(repo(projectId, 'branches/main')).set('PRIVATE-TOKEN', developer.token).expect(403);
  });

  it('answers 401, 404 to outsiders and 403 to reporters changing branches and tags', async () => {
    const { projectId, developer, reporter, outsider } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    await api.http.get(repo(projectId, 'branches')).expect(401);
    await api.http.get(repo(projectId, 'branches')).set('PRIVATE-TOKEN', outsider.token).expect(404);
    await api.http.get(repo(projectId, 'tags')).set('PRIVATE-TOKEN', outsider.token).expect(404);
    await api.http.get(repo(projectId, 'commits/main')).set('PRIVATE-TOKEN', outsider.token).expect(404);
    const branches = await api.http.get(repo(projectId, 'branches')).set('PRIVATE-TOKEN', reporter.token).expect(200);
    expect(branches.body[0]).toMatchObject({ name: 'main', can_push: false });
    await api.http.post(repo(projectId, 'branches')).set('PRIVATE-TOKEN', reporter.token).send({ branch: 'x', ref: 'main' }).expect(403);
    await api.http.delete(repo(projectId, 'branches/main')).set('PRIVATE-TOKEN', reporter.token).expect(403);
    await api.http.post(repo(projectId, 'tags')).set('PRIVATE-TOKEN', reporter.token).send({ tag_name: 'v1', ref: 'main' }).expect(403);
  });

  it("creates, lists, shows and deletes lightweight and annotated tags in GitLab's shape", async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const head = await branchHead(api, developer, projectId, 'main');
    const light = await api.http
      .post(repo(projectId, 'tags'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ tag_name: 'v1.0.0', ref: 'main' })
      .expect(201);
    expect(light.body).toEqual({
      name: 'v1.0.0',
      message: '',
      target: head,
      commit: expect.objectContaining({ id: head, parent_ids: [] }),
      release: null,
      protected: false,
      created_at: null,
    });
    const annotated = await api.http
      .post(repo(projectId, 'tags'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ tag_name: 'release/2', ref: head.slice(0, 10), message: 'Release 2' })
      .expect(201);
    expect(annotated.body).toMatchObject({ name: 'release/2', message: 'Release 2', target: head, created_at: expect.any(String) });
    const list = await api.http.get(repo(projectId, 'tags')).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(list.body.map((t: { name: string }) => t.name)).toEqual(['release/2', 'v1.0.0']);
    const shown = await api.http.get(repo(projectId, 'tags/release%2F2')).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(shown.body).toEqual(annotated.body);
    await api.http.delete(repo(projectId, 'tags/release%2F2')).set('PRIVATE-TOKEN', developer.token).expect(204);
    const gone = await api.http.get(repo(projectId, 'tags/release%2F2')).set('PRIVATE-TOKEN', developer.token).expect(404);
    expect(gone.body).toEqual({ message: '404 Tag Not Found' });
  });

  it.each([
    ['an invalid name', { tag_name: 'v1^', ref: 'main' }, 'Tag name invalid'],
    ['an existing name', { tag_name: 'v1', ref: 'main' }, 'Tag v1 already exists'],
    ['an unknown ref', { tag_name: 'v2', ref: 'nope' }, 'Target nope is invalid'],
  ])('refuses a tag with %s with 400', async (_case, body, message) => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    await api.http.post(repo(projectId, 'tags')).set('PRIVATE-TOKEN', developer.token).send({ tag_name: 'v1', ref: 'main' }).expect(201);
    const response = await api.http.post(repo(projectId, 'tags')).set('PRIVATE-TOKEN', developer.token).send(body).expect(400);
    expect(response.body).toEqual({ message });
  });

  it('shows a commit by sha, abbreviated sha, branch or tag, and 404 otherwise', async () => {
    const { projectId, developer } = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, developer, projectId, 'a.txt', 'one');
    const first = await branchHead(api, developer, projectId, 'main');
    await api.http
      .post(`/api/v4/projects/${projectId}/repository/files/b.txt`)
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'main', content: 'two', commit_message: 'Second\n\nWith a body' })
      .expect(201);
    const head = await branchHead(api, developer, projectId, 'main');
    await api.http.post(repo(projectId, 'tags')).set('PRIVATE-TOKEN', developer.token).send({ tag_name: 'v1', ref: first }).expect(201);
    const bySha = await api.http
      .get(repo(projectId, `commits/${head}`))
      .set('PRIVATE-TOKEN', developer.token)
      .expect(200);
    expect(bySha.body).toMatchObject({ id: head, parent_ids: [first], title: 'Second', message: 'Second\n\nWith a body' });
    for (const name of [head.slice(0, 8), head.toUpperCase(), 'main', 'refs%2Fheads%2Fmain']) {
      const response = await api.http
        .get(repo(projectId, `commits/${name}`))
        .set('PRIVATE-TOKEN', developer.token)
        .expect(200);
      expect(response.body.id).toBe(head);
    }
    const byTag = await api.http.get(repo(projectId, 'commits/v1')).set('PRIVATE-TOKEN', developer.token).expect(200);
    expect(byTag.body.id).toBe(first);
    for (const name of ['nope', '0'.repeat(40), 'abc']) {
      const response = await api.http
        .get(repo(projectId, `commits/${name}`))
        .set('PRIVATE-TOKEN', developer.token)
        .expect(404);
      expect(response.body).toEqual({ message: '404 Commit Not Found' });
    }
  });
});
