import { Resources, client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

const LAST_OWNER = { message: '400 Bad request - a group must keep at least one owner' };

describe('Members API', () => {
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    owner = await createUser(api, 'members-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser | string) => client(api, user);

  describe.each(['groups', 'projects'] as const)('on %s', (kind) => {
    let source: `${typeof kind}/${number}`;
    let base: string;

    beforeEach(async () => {
      source = `${kind}/${(kind === 'groups' ? await make.group(owner) : await make.project(owner)).id}`;
      base = `/${source}/members`;
    });

    it('adds a member (201), shows and lists it, changes its level and removes it (204)', async () => {
      const user = await createUser(api);
      const added = await as(owner).post(base, { user_id: user.id, access_level: 30 }).expect(201);
      expect(added.body).toMatchObject({ id: user.id, username: user.username, state: 'active', access_level: 30, expires_at: null });
      expect(Date.parse(added.body.created_at)).not.toBeNaN();
      expect((await as(owner).get(`${base}/${user.id}`).expect(200)).body).toEqual(added.body);
      const updated = await as(owner).put(`${base}/${user.id}`, { access_level: '20', expires_at: '2999-01-01' }).expect(200);
      expect(updated.body).toMatchObject({ id: user.id, access_level: 20, expires_at: '2999-01-01' });
      await as(owner).delete(`${base}/${user.id}`).expect(204);
      expect((await as(owner).get(`${base}/${user.id}`).expect(404)).body).toEqual({ message: '404 Member Not Found' });
    });

    it('rejects a duplicate member with 409', async () => {
      const user = await createUser(api);
      await as(owner).post(base, { user_id: user.id, access_level: 30 }).expect(201);
      const duplicate = await as(owner).post(base, { user_id: user.id, access_level: 40 }).expect(409);
      expect(duplicate.body).toEqual({ message: 'Member already exists' });
      expect((await as(owner).get(`${base}/${user.id}`).expect(200)).body.access_level).toBe(30);
    });

    it.each([[35], [60], [0], ['owner'], [null]])('rejects access_level %j with 400 naming access_level', async (level) => {
      const user = await createUser(api);
      const response = await as(owner).post(base, { user_id: user.id, access_level: level }).expect(400);
      expect(refusedFields(response.body)).toEqual(['access_level']);
      expect(response.body.message.access_level[0]).toMatch(/access_level must be one of 10, 20, 30, 40, 50/);
    });

    it('answers an unknown user with 404 and bad user ids with 400, never 500', async () => {
      expect((await as(owner).post(base, { user_id: 999_999_999, access_level: 30 }).expect(404)).body).toEqual({
        message: '404 User Not Found',
      });
      expect(refusedFields((await as(owner).post(base, { user_id: 'abc', access_level: 30 }).expect(400)).body)).toEqual(['user_id']);
      for (const id of ['abc', '99999999999999999999']) {
        const response = await as(owner).get(`${base}/${id}`);
        expect([400, 404]).toContain(response.status);
        expect(response.body.message).toEqual(expect.any(String));
      }
    });

    it('paginates the member list with GitLab headers', async () => {
      for (let i = 0; i < 3; i++) await make.addMember(owner, source, await createUser(api), 20);
      // The group's creator is a direct member; a personal project's owner inherits from the namespace instead.
      const total = kind === 'groups' ? 4 : 3;
      const first = await as(owner).get(`${base}?per_page=2`).expect(200);
      expect(first.body).toHaveLength(2);
      expect(first.headers).toMatchObject({
        'x-page': '1',
        'x-per-page': '2',
        'x-next-page': '2',
        'x-total': String(total),
        'x-total-pages': '2',
      });
      const second = await as(owner).get(`${base}?per_page=2&page=2`).expect(200);
      expect(second.body).toHaveLength(total - 2);
      expect(new Set([...first.body, ...second.body].map((m: { id: number }) => m.id)).size).toBe(total);
      expect(first.headers.link).toContain(`/api/v4${base}?per_page=2&page=2>; rel="next"`);
      expect(first.headers.link).toMatch(/^<http:\/\//);
      expect((await as(owner).get(`${base}?per_page=101`).expect(200)).headers['x-per-page']).toBe('100');
      await as(owner).get(`${base}?page=0`).expect(400);
    });

    it('answers malformed JSON with 400', async () => {
      const response = await api.http
        .post(`/api/v4${base}`)
        .set('PRIVATE-TOKEN', owner.token)
        .set('Content-Type', 'application/json')
        .send('{"user_id": 1,')
        .expect(400);
      expect(response.body.message).toMatch(/^400 /);
    });

    it('answers 401 without a token', async () => {
      expect((await api.http.get(`/api/v4${base}`).expect(401)).body).toEqual({ message: '401 Unauthorized' });
    });
  });

  describe('who may manage whom', () => {
    it('lets a project maintainer add up to maintainer, but not grant owner (403)', async () => {
      const project = await make.project(owner);
      const [maintainer, newcomer] = await Promise.all([createUser(api), createUser(api)]);
      await make.addMember(owner, `projects/${project.id}`, maintainer, 40);
      const base = `/projects/${project.id}/members`;
      const denied = await as(maintainer).post(base, { user_id: newcomer.id, access_level: 50 }).expect(403);
      expect(denied.body).toEqual({ message: '403 Forbidden - you may not manage members with access level 50' });
      await as(owner).get(`${base}/${newcomer.id}`).expect(404);
      await as(maintainer).post(base, { user_id: newcomer.id, access_level: 40 }).expect(201);
      await as(maintainer).put(`${base}/${newcomer.id}`, { access_level: 50 }).expect(403);
    });

    it('does not let a maintainer demote or remove an owner', async () => {
      const project = await make.project(owner);
      const [maintainer, projectOwner] = await Promise.all([createUser(api), createUser(api)]);
      await make.addMember(owner, `projects/${project.id}`, maintainer, 40);
      await make.addMember(owner, `projects/${project.id}`, projectOwner, 50);
      const base = `/projects/${project.id}/members`;
      await as(maintainer).put(`${base}/${projectOwner.id}`, { access_level: 10 }).expect(403);
      await as(maintainer).delete(`${base}/${projectOwner.id}`).expect(403);
      expect((await as(owner).get(`${base}/${projectOwner.id}`).expect(200)).body.access_level).toBe(50);
    });

    it('lets only group owners manage group members: maintainers get 403, developers 403, outsiders 404', async () => {
      const group = await make.group(owner);
      const [maintainer, developer, outsider, newcomer] = await Promise.all([
        createUser(api),
        createUser(api),
        createUser(api),
        createUser(api),
      ]);
      await make.addMember(owner, `groups/${group.id}`, maintainer, 40);
      await make.addMember(owner, `groups/${group.id}`, developer, 30);
      const base = `/groups/${group.id}/members`;
      expect((await as(maintainer).post(base, { user_id: newcomer.id, access_level: 10 }).expect(403)).body).toEqual({
        message: '403 Forbidden',
      });
      await as(developer).post(base, { user_id: newcomer.id, access_level: 10 }).expect(403);
      expect((await as(outsider).post(base, { user_id: newcomer.id, access_level: 10 }).expect(404)).body).toEqual({
        message: '404 Group Not Found',
      });
      expect((await as(outsider).get(base).expect(404)).body).toEqual({ message: '404 Group Not Found' });
      expect((await as(developer).get(base).expect(200)).body).toHaveLength(3);
    });

    it('lets an owner of the parent group manage a subgroup’s members', async () => {
      const root = await make.group(owner);
      const sub = await make.group(owner, { parent_id: root.id });
      const [rootOwner, newcomer] = await Promise.all([createUser(api), createUser(api)]);
      await make.addMember(owner, `groups/${root.id}`, rootOwner, 50);
      const added = await as(rootOwner).post(`/groups/${sub.id}/members`, { user_id: newcomer.id, access_level: 50 }).expect(201);
      expect(added.body.access_level).toBe(50);
    });
  });

  describe('the last owner of a group', () => {
    it('cannot be demoted or removed; another owner can then take over', async () => {
      const group = await make.group(owner);
      const base = `/groups/${group.id}/members`;
      expect((await as(owner).put(`${base}/${owner.id}`, { access_level: 40 }).expect(400)).body).toEqual(LAST_OWNER);
      expect((await as(owner).delete(`${base}/${owner.id}`).expect(400)).body).toEqual(LAST_OWNER);
      expect((await as(owner).get(`${base}/${owner.id}`).expect(200)).body.access_level).toBe(50);

      const successor = await createUser(api);
      await make.addMember(owner, `groups/${group.id}`, successor, 50);
      await as(successor).delete(`${base}/${owner.id}`).expect(204);
      expect((await as(successor).delete(`${base}/${successor.id}`).expect(400)).body).toEqual(LAST_OWNER);
    });

    it('stays an owner when two owners remove each other at the same time', async () => {
      const group = await make.group(owner);
      const other = await createUser(api);
      await make.addMember(owner, `groups/${group.id}`, other, 50);
      const base = `/groups/${group.id}/members`;
      const results = await Promise.all([as(owner).delete(`${base}/${other.id}`), as(other).delete(`${base}/${owner.id}`)]);
      // One removal wins. The other is refused: as the last owner's (400), or, when its caller's own membership is
      // already gone by the time it is authenticated, as an outsider's (404). Either way one owner remains.
      const [won, refused] = results.map((r) => r.status).sort();
      expect(won).toBe(204);
      expect([400, 404]).toContain(refused);
      const remaining = await as(api.rootToken).get(base).expect(200);
      expect(remaining.body.filter((m: { access_level: number }) => m.access_level === 50)).toHaveLength(1);
    });

    it('may leave a subgroup whose parent group still has an owner', async () => {
      const root = await make.group(owner);
      const creator = await createUser(api);
      await make.addMember(owner, `groups/${root.id}`, creator, 40);
      const sub = await make.group(creator, { parent_id: root.id });
      await as(creator).delete(`/groups/${sub.id}/members/${creator.id}`).expect(204);
      expect((await as(owner).get(`/groups/${sub.id}/members`).expect(200)).body).toEqual([]);
      expect((await as(owner).delete(`/groups/${root.id}/members/${owner.id}`).expect(400)).body).toEqual(LAST_OWNER);
    });

    it('does not apply to projects, which inherit owners from their namespace', async () => {
      const project = await make.project(owner);
      const solo = await createUser(api);
      await make.addMember(owner, `projects/${project.id}`, solo, 50);
      await as(owner).delete(`/projects/${project.id}/members/${solo.id}`).expect(204);
    });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await as(owner).get('/no/such/route').expect(404);
    expect(response.body).toEqual({ message: '404 Not Found' });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });
});
