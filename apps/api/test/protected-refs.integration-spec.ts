import { commitFile, createRepositoryFixture, fileUrl } from './support/repository-fixtures';
import { TestApp, TestUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

describe('Protected branches and tags API', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const url = (projectId: number, rest: string) => `/api/v4/projects/${projectId}/${rest}`;
  const protect = (projectId: number, user: TestUser, body: object, kind = 'protected_branches') =>
    api.http.post(url(projectId, kind)).set('PRIVATE-TOKEN', user.token).send(body);
  const edit = (projectId: number, user: TestUser, branch: string) =>
    api.http
      .put(fileUrl(projectId, 'a.txt'))
      .set('PRIVATE-TOKEN', user.token)
      .send({ branch, content: `by ${user.username}`, commit_message: 'edit' });
  /** Drops the rule the first commit gave `main` (see default-branch-protection), for tests that set their own. */
  const unprotectDefaultBranch = (projectId: number, maintainer: TestUser) =>
    api.http.delete(url(projectId, 'protected_branches/main')).set('PRIVATE-TOKEN', maintainer.token).expect(204);

  it("protects a branch with GitLab's defaults and shape, and refuses a second rule of the same name with 409", async () => {
    const { projectId, maintainer } = await createRepositoryFixture(api);
    const created = await protect(projectId, maintainer, { name: 'main' }).expect(201);
    const maintainers = [{ id: created.body.id, access_level: 40, access_level_description: 'Maintainers', user_id: null, group_id: null }];
    expect(created.body).toEqual({
      id: expect.any(Number),
      name: 'main',
      push_access_levels: maintainers,
      merge_access_levels: maintainers,
      unprotect_access_levels: [],
      allow_force_push: false,
      code_owner_approval_required: false,
    });
    const duplicate = await protect(projectId, maintainer, { name: 'main', push_access_level: 30 }).expect(409);
    expect(duplicate.body).toEqual({ message: "Protected branch 'main' already exists" });
    const list = await api.http.get(url(projectId, 'protected_branches')).set('PRIVATE-TOKEN', maintainer.token).expect(200);
    expect(list.body).toEqual([created.body]);
    expect(list.headers['x-total']).toBe('1');
  });

  it('shows and deletes a wildcard rule by its URL-encoded name', async () => {
    const { projectId, maintainer } = await createRepositoryFixture(api);
    await protect(projectId, maintainer, {
      name: 'release/*',
      push_access_level: '30',
      merge_access_level: 0,
      allow_force_push: 'true',
    }).expect(201);
    const shown = await api.http.get(url(projectId, 'protected_branches/release%2F*')).set('PRIVATE-TOKEN', maintainer.token).expect(200);
    expect(shown.body).toMatchObject({
      name: 'release/*',
      push_access_levels: [expect.objectContaining({ access_level: 30, access_level_description: 'Developers + Maintainers' })],
      merge_access_levels: [expect.objectContaining({ access_level: 0, access_level_description: 'No one' })],
      allow_force_push: true,
    });
    await api.http.delete(url(projectId, 'protected_branches/release%2F*')).set('PRIVATE-TOKEN', maintainer.token).expect(204);
    const gone = await api.http.get(url(projectId, 'protected_branches/release%2F*')).set('PRIVATE-TOKEN', maintainer.token).expect(404);
    expect(gone.body).toEqual({ message: '404 Protected Branch Not Found' });
    await api.http.delete(url(projectId, 'protected_branches/release%2F*')).set('PRIVATE-TOKEN', maintainer.token).expect(404);
  });

  it.each([
    ['no name', {}, 'name'],
    ['an invalid pattern', { name: 'a..*' }, 'name'],
    ['a name with a space', { name: 'my branch' }, 'name'],
    ['an unknown push level', { name: 'main', push_access_level: 20 }, 'push_access_level'],
    ['a non-numeric merge level', { name: 'main', merge_access_level: 'maintainers' }, 'merge_access_level'],
    ['a non-boolean allow_force_push', { name: 'main', allow_force_push: 'yes' }, 'allow_force_push'],
  ])('rejects a rule with %s with 400 naming the field', async (_case, body, field) => {
    const { projectId, maintainer } = await createRepositoryFixture(api);
    const response = await protect(projectId, maintainer, body).expect(400);
    expect(refusedFields(response.body)).toEqual([field]);
  });

  it('keeps protection management to maintainers: 401, 404 to outsiders, 403 to developers', async () => {
    const { projectId, developer, outsider } = await createRepositoryFixture(api);
    await api.http.get(url(projectId, 'protected_branches')).expect(401);
    await api.http.get(url(projectId, 'protected_branches')).set('PRIVATE-TOKEN', outsider.token).expect(404);
    await api.http.get(url(projectId, 'protected_branches')).set('PRIVATE-TOKEN', developer.token).expect(403);
    await protect(projectId, developer, { name: 'main' }).expect(403);
    await protect(projectId, developer, { name: 'v*' }, 'protected_tags').expect(403);
    await api.http.delete(url(projectId, 'protected_tags/v*')).set('PRIVATE-TOKEN', developer.token).expect(403);
  });

  it('lets only the allowed levels push to a protected branch', async () => {
    const { projectId, maintainer, developer } = await createRepositoryFixture(api);
    await commitFile(api, maintainer, projectId, 'a.txt', 'one');
    await unprotectDefaultBranch(projectId, maintainer);
    await protect(projectId, maintainer, { name: 'main' }).expect(201);
    const refused = await edit(projectId, developer, 'main').expect(403);
    expect(refused.body).toEqual({ message: 'You are not allowed to push into this branch' });
    await api.http
      .post(fileUrl(projectId, 'b.txt'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'main', content: 'x', commit_message: 'm' })
      .expect(403);
    await edit(projectId, maintainer, 'main').expect(200);
    await api.http.delete(url(projectId, 'protected_branches/main')).set('PRIVATE-TOKEN', maintainer.token).expect(204);
    await protect(projectId, maintainer, { name: 'main', push_access_level: 30 }).expect(201);
    await edit(projectId, developer, 'main').expect(200);
    await api.http.delete(url(projectId, 'protected_branches/main')).set('PRIVATE-TOKEN', maintainer.token).expect(204);
    await protect(projectId, maintainer, { name: 'main', push_access_level: 0 }).expect(201);
    await edit(projectId, maintainer, 'main').expect(403);
    const root = { id: 0, username: 'root', token: api.rootToken };
    await edit(projectId, root, 'main').expect(403);
  });

  it('applies wildcard rules to matching branches only, in branch JSON and on push', async () => {
    const { projectId, maintainer, developer } = await createRepositoryFixture(api);
    await commitFile(api, maintainer, projectId, 'a.txt', 'one');
    await unprotectDefaultBranch(projectId, maintainer);
    for (const branch of ['release/1.0', 'releases/1', 'feature/x']) {
      await api.http
        .post(url(projectId, 'repository/branches'))
        .set('PRIVATE-TOKEN', developer.token)
        .send({ branch, ref: 'main' })
        .expect(201);
    }
    await protect(projectId, maintainer, { name: 'release/*', merge_access_level: 30 }).expect(201);
    const asDeveloper = await api.http.get(url(projectId, 'repository/branches')).set('PRIVATE-TOKEN', developer.token).expect(200);
    const flags = Object.fromEntries(
      asDeveloper.body.map((b: { name: string; protected: boolean; can_push: boolean; developers_can_merge: boolean }) => [
        b.name,
        [b.protected, b.can_push, b.developers_can_merge],
      ]),
    );
    expect(flags).toEqual({
      'feature/x': [false, true, false],
      main: [false, true, false],
      'release/1.0': [true, false, true],
      'releases/1': [false, true, false],
    });
    const asMaintainer = await api.http
      .get(url(projectId, 'repository/branches/release%2F1.0'))
      .set('PRIVATE-TOKEN', maintainer.token)
      .expect(200);
    expect(asMaintainer.body).toMatchObject({ protected: true, can_push: true, developers_can_push: false });
    await edit(projectId, developer, 'release/1.0').expect(403);
    await edit(projectId, developer, 'releases/1').expect(200);
    await edit(projectId, maintainer, 'release/1.0').expect(200);
    const created = await api.http
      .post(url(projectId, 'repository/branches'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'release/2.0', ref: 'main' })
      .expect(403);
    expect(created.body).toEqual({ message: 'You are not allowed to push into this branch' });
    await api.http
      .post(fileUrl(projectId, 'new.txt'))
      .set('PRIVATE-TOKEN', developer.token)
      .send({ branch: 'release/a/b', start_branch: 'main', content: 'x', commit_message: 'm' })
      .expect(403);
    await api.http
      .post(url(projectId, 'repository/branches'))
      .set('PRIVATE-TOKEN', maintainer.token)
      .send({ branch: 'release/2.0', ref: 'main' })
      .expect(201);
    const removal = await api.http
      .delete(url(projectId, 'repository/branches/release%2F1.0'))
      .set('PRIVATE-TOKEN', maintainer.token)
      .expect(403);
    expect(removal.body.message).toMatch(/Protected branch/);
  });

  it("protects tags by pattern with create_access_level, in GitLab's protected tag shape", async () => {
    const { projectId, maintainer, developer } = await createRepositoryFixture(api);
    await commitFile(api, maintainer, projectId, 'a.txt', 'one');
    const rule = await protect(projectId, maintainer, { name: 'v*' }, 'protected_tags').expect(201);
    expect(rule.body).toEqual({
      name: 'v*',
      create_access_levels: [
        { id: expect.any(Number), access_level: 40, access_level_description: 'Maintainers', user_id: null, group_id: null },
      ],
    });
    const duplicate = await protect(projectId, maintainer, { name: 'v*' }, 'protected_tags').expect(409);
    expect(duplicate.body).toEqual({ message: "Protected tag 'v*' already exists" });
    const bad = await protect(projectId, maintainer, { name: 'x*', create_access_level: 10 }, 'protected_tags').expect(400);
    expect(refusedFields(bad.body)).toEqual(['create_access_level']);
    const tags = url(projectId, 'repository/tags');
    const refused = await api.http.post(tags).set('PRIVATE-TOKEN', developer.token).send({ tag_name: 'v1', ref: 'main' }).expect(403);
    expect(refused.body.message).toMatch(/not allowed to create this tag/);
    await api.http.post(tags).set('PRIVATE-TOKEN', developer.token).send({ tag_name: 'nightly-1', ref: 'main' }).expect(201);
    const made = await api.http.post(tags).set('PRIVATE-TOKEN', maintainer.token).send({ tag_name: 'v1', ref: 'main' }).expect(201);
    expect(made.body.protected).toBe(true);
    await api.http.delete(url(projectId, 'repository/tags/v1')).set('PRIVATE-TOKEN', developer.token).expect(403);
    const shown = await api.http.get(url(projectId, 'protected_tags/v*')).set('PRIVATE-TOKEN', maintainer.token).expect(200);
    expect(shown.body).toEqual(rule.body);
    const listed = await api.http.get(url(projectId, 'protected_tags')).set('PRIVATE-TOKEN', maintainer.token).expect(200);
    expect(listed.body).toEqual([rule.body]);
    await api.http.delete(url(projectId, 'protected_tags/v*')).set('PRIVATE-TOKEN', maintainer.token).expect(204);
    const gone = await api.http.get(url(projectId, 'protected_tags/v*')).set('PRIVATE-TOKEN', maintainer.token).expect(404);
    expect(gone.body).toEqual({ message: '404 Protected Tag Not Found' });
    await api.http.delete(url(projectId, 'repository/tags/v1')).set('PRIVATE-TOKEN', developer.token).expect(204);
  });
});
