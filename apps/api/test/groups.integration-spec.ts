import { Resources, client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp, uniqueName } from './support/test-app';
import { refusedFields } from './support/refusals';

const GROUP_NOT_FOUND = { message: '404 Group Not Found' };

describe('Groups API', () => {
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    owner = await createUser(api, 'groups-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser | string) => client(api, user);

  describe('POST /groups', () => {
    it('creates a private top-level group and makes the creator its owner', async () => {
      const path = uniqueName('acme');
      const created = await as(owner).post('/groups', { name: 'Acme', path, description: 'the company' }).expect(201);
      expect(created.body).toMatchObject({
        name: 'Acme',
        path,
        full_path: path,
        full_name: 'Acme',
        parent_id: null,
        visibility: 'private',
        description: 'the company',
        web_url: `http://lanyard.test/groups/${path}`,
      });
      expect(created.body.id).toEqual(expect.any(Number));
      const members = await as(owner).get(`/groups/${created.body.id}/members`).expect(200);
      expect(members.body).toEqual([expect.objectContaining({ id: owner.id, username: owner.username, access_level: 50 })]);
    });

    it('creates a subgroup whose full path and name include the parent', async () => {
      const root = await make.group(owner, { name: 'Acme' });
      const sub = await as(owner).post('/groups', { name: 'Platform', path: 'platform', parent_id: root.id }).expect(201);
      expect(sub.body).toMatchObject({
        parent_id: root.id,
        path: 'platform',
        full_path: `${root.path}/platform`,
        full_name: 'Acme / Platform',
      });
    });

    it.each([
      [{ path: 'x' }, ['name']],
      [{ name: 'x' }, ['path']],
      [{ name: 'x', path: '-leading-dash' }, ['path']],
      [{ name: 'x', path: 'ends.git' }, ['path']],
      [{ name: 'x', path: 'ok', visibility: 'secret' }, ['visibility']],
      [{ name: 'x', path: 'ok', parent_id: 'abc' }, ['parent_id']],
    ])('rejects %j with 400 naming %j', async (body, fields) => {
      const response = await as(owner).post('/groups', body).expect(400);
      expect(refusedFields(response.body)).toEqual(fields);
    });

    it('rejects a taken path with 400, case-insensitively, among top-level groups and usernames', async () => {
      const taken = await make.group(owner);
      const duplicate = await as(owner).post('/groups', { name: 'dup', path: taken.path.toUpperCase() }).expect(400);
      expect(duplicate.body).toEqual({ message: { path: ['has already been taken'] } });
      const username = await as(owner).post('/groups', { name: 'dup', path: owner.username }).expect(400);
      expect(username.body).toEqual({ message: { path: ['has already been taken'] } });
    });

    it('rejects a subgroup path taken by a sibling subgroup or project, but allows it under another parent', async () => {
      const root = await make.group(owner);
      await as(owner).post('/groups', { name: 'team', path: 'team', parent_id: root.id }).expect(201);
      await make.project(owner, { path: 'app', namespace_id: root.id });
      for (const path of ['team', 'TEAM', 'app']) {
        const response = await as(owner).post('/groups', { name: path, path, parent_id: root.id }).expect(400);
        expect(response.body).toEqual({ message: { path: ['has already been taken'] } });
      }
      const other = await make.group(owner);
      await as(owner).post('/groups', { name: 'team', path: 'team', parent_id: other.id }).expect(201);
    });

    it('rejects a subgroup more visible than its parent with 400 naming visibility_level', async () => {
      const root = await make.group(owner, { visibility: 'internal' });
      const response = await as(owner).post('/groups', { name: 's', path: 's', parent_id: root.id, visibility: 'public' }).expect(400);
      expect(response.body).toEqual({
        message: { visibility_level: ['public is not allowed since the parent group has a internal visibility.'] },
      });
      await as(owner).post('/groups', { name: 's', path: 's', parent_id: root.id, visibility: 'internal' }).expect(201);
    });

    it('lets a maintainer create subgroups, not a developer (403) nor an outsider of a private group (404)', async () => {
      const root = await make.group(owner);
      const [maintainer, developer, outsider] = await Promise.all([createUser(api), createUser(api), createUser(api)]);
      await make.addMember(owner, `groups/${root.id}`, maintainer, 40);
      await make.addMember(owner, `groups/${root.id}`, developer, 30);
      await as(maintainer).post('/groups', { name: 'm', path: 'm', parent_id: root.id }).expect(201);
      const forbidden = await as(developer).post('/groups', { name: 'd', path: 'd', parent_id: root.id }).expect(403);
      expect(forbidden.body.message).toMatch(/^403 Forbidden/);
      const hidden = await as(outsider).post('/groups', { name: 'o', path: 'o', parent_id: root.id }).expect(404);
      expect(hidden.body).toEqual({ message: '404 Parent group Not Found' });
    });

    it('answers 401 without a token', async () => {
      const response = await api.http
        .post('/api/v4/groups')
        .send({ name: 'x', path: uniqueName('x') })
        .expect(401);
      expect(response.body).toEqual({ message: '401 Unauthorized' });
    });
  });

  describe('GET /groups/:id', () => {
    it('finds a group by id and by URL-encoded full path, case-insensitively', async () => {
      const root = await make.group(owner);
      const sub = await as(owner).post('/groups', { name: 'Platform', path: 'platform', parent_id: root.id }).expect(201);
      const byId = await as(owner).get(`/groups/${sub.body.id}`).expect(200);
      expect(byId.body).toEqual(sub.body);
      const byPath = await as(owner).get(`/groups/${root.path}%2Fplatform`).expect(200);
      expect(byPath.body.id).toBe(sub.body.id);
      const upper = await as(owner).get(`/groups/${root.path.toUpperCase()}%2FPLATFORM`).expect(200);
      expect(upper.body.id).toBe(sub.body.id);
      await as(owner).get(`/groups/${root.path}%2Fmissing`).expect(404);
    });

    it('hides a private group from non-members (404) and shows an internal one to any user', async () => {
      const outsider = await createUser(api);
      const hidden = await make.group(owner);
      expect((await as(outsider).get(`/groups/${hidden.id}`).expect(404)).body).toEqual(GROUP_NOT_FOUND);
      expect(
        (
          await as(outsider)
            .get(`/groups/${encodeURIComponent(hidden.full_path)}`)
            .expect(404)
        ).body,
      ).toEqual(GROUP_NOT_FOUND);
      const internal = await make.group(owner, { visibility: 'internal' });
      expect((await as(outsider).get(`/groups/${internal.id}`).expect(200)).body.visibility).toBe('internal');
    });

    it('does not show a private parent group to a member of its subgroup only', async () => {
      const root = await make.group(owner);
      const sub = await make.group(owner, { parent_id: root.id });
      const member = await createUser(api);
      await make.addMember(owner, `groups/${sub.id}`, member, 50);
      await as(member).get(`/groups/${sub.id}`).expect(200);
      expect((await as(member).get(`/groups/${root.id}`).expect(404)).body).toEqual(GROUP_NOT_FOUND);
      const list = await as(member).get('/groups?per_page=100').expect(200);
      expect(list.body.map((g: { id: number }) => g.id)).toContain(sub.id);
      expect(list.body.map((g: { id: number }) => g.id)).not.toContain(root.id);
    });

    it('does not treat a personal namespace as a group', async () => {
      const response = await as(owner).get(`/groups/${owner.username}`).expect(404);
      expect(response.body).toEqual(GROUP_NOT_FOUND);
    });

    it.each([
      ['an id beyond bigint', '99999999999999999999', [404]],
      ['a NUL byte', 'abc%00', [400, 404]],
      ['a malformed escape', '%E0%A4%A', [400]],
      ['an empty path segment', 'a%2F%2Fb', [404]],
      ['a negative id', '-1', [404]],
    ])('answers %s with a JSON 4xx, never a 500', async (_case, id, statuses) => {
      const response = await as(owner).get(`/groups/${id}`);
      expect(statuses).toContain(response.status);
      expect(response.body.message).toEqual(expect.any(String));
    });
  });

  describe('PUT /groups/:id', () => {
    it('lets only owners change a group: maintainers get 403', async () => {
      const group = await make.group(owner);
      const maintainer = await createUser(api);
      await make.addMember(owner, `groups/${group.id}`, maintainer, 40);
      const forbidden = await as(maintainer).put(`/groups/${group.id}`, { description: 'mine now' }).expect(403);
      expect(forbidden.body).toEqual({ message: '403 Forbidden' });
      const updated = await as(owner).put(`/groups/${group.id}`, { description: 'ours', name: 'Renamed' }).expect(200);
      expect(updated.body).toMatchObject({ id: group.id, description: 'ours', name: 'Renamed', full_name: 'Renamed' });
    });

    it('keeps visibility ordered: no subgroup above its parent, no parent below its children', async () => {
      const root = await make.group(owner, { visibility: 'public' });
      const sub = await make.group(owner, { parent_id: root.id, visibility: 'internal' });
      const lowering = await as(owner).put(`/groups/${root.id}`, { visibility: 'private' }).expect(400);
      expect(refusedFields(lowering.body)).toEqual(['visibility_level']);
      await as(owner).put(`/groups/${root.id}`, { visibility: 'internal' }).expect(200);
      const raising = await as(owner).put(`/groups/${sub.id}`, { visibility: 'public' }).expect(400);
      expect(raising.body.message.visibility_level[0]).toMatch(/^public is not allowed/);
      expect((await as(owner).get(`/groups/${sub.id}`).expect(200)).body.visibility).toBe('internal');
    });

    it('refuses to make a group less visible than a project inside it', async () => {
      const root = await make.group(owner, { visibility: 'internal' });
      await make.project(owner, { namespace_id: root.id, visibility: 'internal' });
      const response = await as(owner).put(`/groups/${root.id}`, { visibility: 'private' }).expect(400);
      expect(response.body.message.visibility_level[0]).toMatch(/contains projects or subgroups with higher visibility/);
    });
  });

  describe('GET /groups', () => {
    it('paginates with X-* headers and absolute Link URLs', async () => {
      // Subgroups of a fresh group: GET /groups also lists every internal group other tests made.
      const root = await make.group(owner);
      for (let i = 0; i < 3; i++) await make.group(owner, { parent_id: root.id });
      const url = `/groups/${root.id}/subgroups`;
      const first = await as(owner).get(`${url}?per_page=2`).expect(200);
      expect(first.body).toHaveLength(2);
      expect(first.headers).toMatchObject({
        'x-page': '1',
        'x-per-page': '2',
        'x-next-page': '2',
        'x-prev-page': '',
        'x-total': '3',
        'x-total-pages': '2',
      });
      const links = parseLinks(first.headers.link);
      expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next']);
      expect(links.next).toMatch(new RegExp(`^http://[^/]+/api/v4${url}\\?`));
      expect(new URL(links.next).searchParams.get('page')).toBe('2');
      expect(new URL(links.last).searchParams.get('per_page')).toBe('2');
      const second = await as(owner).get(`${url}?per_page=2&page=2`).expect(200);
      expect(second.body).toHaveLength(1);
      expect(second.headers).toMatchObject({ 'x-page': '2', 'x-next-page': '', 'x-prev-page': '1' });
      expect(Object.keys(parseLinks(second.headers.link)).sort()).toEqual(['first', 'last', 'prev']);
      expect(first.body.concat(second.body).map((g: { parent_id: number }) => g.parent_id)).toEqual([root.id, root.id, root.id]);
    });

    it('lists only the groups a user may see', async () => {
      const lister = await createUser(api);
      const mine = await make.group(lister);
      const hidden = await make.group(owner);
      const list = await as(lister).get('/groups?per_page=100').expect(200);
      const ids = list.body.map((g: { id: number }) => g.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(hidden.id);
      expect(list.body.every((g: { visibility: string; id: number }) => g.visibility !== 'private' || g.id === mine.id)).toBe(true);
      expect(parseLinks(list.headers.link).first).toMatch(/^http:\/\/[^/]+\/api\/v4\/groups\?/);
    });

    it.each([
      ['per_page=0', 'per_page'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
    ])('rejects %s with 400 naming %s', async (query, field) => {
      const response = await as(owner).get(`/groups?${query}`).expect(400);
      expect(refusedFields(response.body)).toEqual([field]);
    });

    it('lists every group for an admin, and subgroups of a group', async () => {
      const root = await make.group(owner);
      const sub = await make.group(owner, { parent_id: root.id });
      const all = await as(api.rootToken).get('/groups?per_page=100').expect(200);
      expect(Number(all.headers['x-total'])).toBeGreaterThanOrEqual(2);
      const subgroups = await as(api.rootToken).get(`/groups/${root.id}/subgroups`).expect(200);
      expect(subgroups.body.map((g: { id: number }) => g.id)).toEqual([sub.id]);
      expect((await as(owner).get(`/groups/${root.id}/subgroups`).expect(200)).body).toHaveLength(1);
    });
  });
});

/** `Link: <url>; rel="next", …` → { next: url, … } */
function parseLinks(header: string): Record<string, string> {
  return Object.fromEntries(
    header.split(', ').map((part) => {
      const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
      return [rel, url];
    }),
  );
}
