import { client } from './support/resources';
import { TestApp, TestUser, startTestApp, uniqueName } from './support/test-app';

/** GitLab's `Entities::UserBasic`: all a user who is not an admin learns about another user from a list. */
const BASIC_FIELDS = ['avatar_url', 'id', 'locked', 'name', 'state', 'username', 'web_url'];

/**
 * GitLab's `GET /users` (`lib/api/users.rb`, `UsersFinder`, `User.search`) and `GET /users/:id`: any signed-in user
 * lists users, with basic fields and without blocked users; admins see everyone with the admin fields.
 */
describe('GET /users', () => {
  let api: TestApp;
  let tag: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  /** A user named `<tag>-<name>` (so a search for the tag finds this file's users only), with an `api` token. */
  async function createTagged(name: string, displayName: string, extra: object = {}): Promise<TestUser> {
    const username = `${tag}-${name}`;
    const admin = client(api, api.rootToken);
    const user = await admin.post('/users', { username, name: displayName, email: `${username}@example.com`, ...extra }).expect(201);
    const token = await admin.post(`/users/${user.body.id}/personal_access_tokens`, { name: 't', scopes: ['api'] }).expect(201);
    return { id: user.body.id, username, token: token.body.token };
  }

  const ids = (body: { id: number }[]) => body.map((user) => user.id);

  beforeAll(async () => {
    api = await startTestApp();
    tag = uniqueName('ul').toLowerCase();
    alice = await createTagged('alice', 'Alice Zephyr');
    bob = await createTagged('bob', 'Bob Yarrow');
    carol = await createTagged('carol', 'Carol Xylem', { admin: true });
  });

  afterAll(() => api.close());

  it('shows a user who is not an admin only the basic fields of everyone, themself included', async () => {
    const response = await client(api, alice).get(`/users?search=${tag}`).expect(200);
    expect(ids(response.body).sort()).toEqual([alice.id, bob.id, carol.id].sort());
    for (const user of response.body) expect(Object.keys(user).sort()).toEqual(BASIC_FIELDS);
    expect(JSON.stringify(response.body)).not.toContain('@example.com');
  });

  it('shows an admin the admin fields: email, is_admin and created_at', async () => {
    const response = await client(api, api.rootToken).get(`/users?username=${bob.username}`).expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({ id: bob.id, email: `${bob.username}@example.com`, is_admin: false, created_at: expect.any(String) }),
    ]);
  });

  it('never answers a search by email to a user who is not an admin (an email oracle), but does to an admin', async () => {
    const email = `${bob.username}@example.com`;
    expect(
      (
        await client(api, alice)
          .get(`/users?search=${encodeURIComponent(email)}`)
          .expect(200)
      ).body,
    ).toEqual([]);
    expect(
      ids(
        (
          await client(api, api.rootToken)
            .get(`/users?search=${encodeURIComponent(email)}`)
            .expect(200)
        ).body,
      ),
    ).toEqual([bob.id]);
  });

  it('keeps email and is_admin of another user out of GET /users/:id for a user who is not an admin', async () => {
    const other = await client(api, alice).get(`/users/${carol.id}`).expect(200);
    expect(other.body).not.toHaveProperty('email');
    expect(other.body).not.toHaveProperty('is_admin');
    const own = await client(api, alice).get(`/users/${alice.id}`).expect(200);
    expect(own.body).toMatchObject({ email: `${alice.username}@example.com`, is_admin: false });
  });

  it('matches username exactly and without case; search by a substring of name or username from three characters', async () => {
    const exact = await client(api, alice).get(`/users?username=${bob.username.toUpperCase()}`).expect(200);
    expect(ids(exact.body)).toEqual([bob.id]);
    expect((await client(api, alice).get(`/users?username=${tag}-bo`).expect(200)).body).toEqual([]);
    expect(ids((await client(api, alice).get('/users?search=yarro').expect(200)).body)).toContain(bob.id);
    expect(ids((await client(api, alice).get(`/users?search=@${bob.username}`).expect(200)).body)).toEqual([bob.id]);
    // Below three characters GitLab matches the whole name or username only.
    expect(ids((await client(api, alice).get('/users?search=Ya').expect(200)).body)).not.toContain(bob.id);
  });

  it('orders a search by exact username, then exact name, then name (GitLab’s User.search)', async () => {
    const first = await createTagged('zed', `${tag}-alice`);
    const response = await client(api, alice).get(`/users?search=${tag}-alice`).expect(200);
    expect(ids(response.body)).toEqual([alice.id, first.id]);
    // Nobody's name or username is the tag itself: by name, then id (ids would be the other way round by default).
    const byName = await client(api, alice).get(`/users?search=${tag}`).expect(200);
    expect(ids(byName.body)).toEqual([alice.id, bob.id, carol.id, first.id]);
  });

  it('hides blocked users from users who are not admins, and filters by active and blocked for admins', async () => {
    const dora = await createTagged('dora', 'Dora Wren');
    await client(api, api.rootToken).post(`/users/${dora.id}/block`).expect(201);
    const asUser = client(api, alice);
    expect((await asUser.get(`/users?username=${dora.username}`).expect(200)).body).toEqual([]);
    expect(ids((await asUser.get(`/users?search=${tag}&blocked=true`).expect(200)).body)).toEqual([]);

    const asAdmin = client(api, api.rootToken);
    expect(ids((await asAdmin.get(`/users?search=${tag}&blocked=true`).expect(200)).body)).toEqual([dora.id]);
    const active = ids((await asAdmin.get(`/users?search=${tag}&active=true`).expect(200)).body);
    expect(active).toContain(alice.id);
    expect(active).not.toContain(dora.id);
    expect((await asAdmin.get(`/users?username=${dora.username}`).expect(200)).body).toEqual([
      expect.objectContaining({ id: dora.id, state: 'blocked' }),
    ]);
  });

  it('filters admins for admins only (GitLab ignores the filter for anyone else)', async () => {
    const admins = await client(api, api.rootToken).get(`/users?search=${tag}&admins=true`).expect(200);
    expect(ids(admins.body)).toEqual([carol.id]);
    const ignored = await client(api, alice).get(`/users?search=${tag}&admins=true&per_page=100`).expect(200);
    expect(ids(ignored.body)).toEqual(expect.arrayContaining([alice.id, bob.id, carol.id]));
  });

  it('knows no external users: external=true finds none and exclude_external=true everyone', async () => {
    expect((await client(api, api.rootToken).get(`/users?search=${tag}&external=true`).expect(200)).body).toEqual([]);
    const all = await client(api, api.rootToken).get(`/users?search=${tag}&exclude_external=true`).expect(200);
    expect(ids(all.body)).toEqual(expect.arrayContaining([alice.id, bob.id, carol.id]));
  });

  it('orders by id descending by default; admins choose order_by and sort, which GitLab drops for others', async () => {
    const admin = client(api, api.rootToken);
    const byId = ids((await admin.get(`/users?per_page=100&order_by=id&sort=desc`).expect(200)).body);
    expect(byId).toEqual([...byId].sort((a, b) => b - a));
    const byUsername = await admin.get(`/users?search=${tag}&order_by=username&sort=asc`).expect(200);
    const usernames = byUsername.body.map((user: { username: string }) => user.username);
    expect(usernames).toEqual([...usernames].sort());
    expect(usernames.length).toBeGreaterThanOrEqual(3);
    const unordered = ids((await client(api, alice).get('/users?per_page=100&order_by=username&sort=asc').expect(200)).body);
    expect(unordered).toEqual([...unordered].sort((a, b) => b - a));
  });

  it('paginates with GitLab’s headers', async () => {
    const response = await client(api, alice).get(`/users?search=${tag}&per_page=1&page=2`).expect(200);
    expect(response.body).toHaveLength(1);
    expect(response.headers).toMatchObject({ 'x-page': '2', 'x-per-page': '1' });
    expect(Number(response.headers['x-total'])).toBeGreaterThanOrEqual(3);
  });

  it('answers a read_user token, and refuses anyone without a token (no anonymous user directory)', async () => {
    const token = await client(api, api.rootToken)
      .post(`/users/${alice.id}/personal_access_tokens`, { name: 'ru', scopes: ['read_user'] })
      .expect(201);
    expect(ids((await client(api, token.body.token).get(`/users?username=${bob.username}`).expect(200)).body)).toEqual([bob.id]);
    expect((await api.http.get(`/api/v4/users?username=${bob.username}`).expect(401)).body).toEqual({ message: '401 Unauthorized' });
  });

  it.each([
    ['order_by=email', 'order_by'],
    ['sort=up', 'sort'],
    ['active=maybe', 'active'],
    ['blocked=2', 'blocked'],
    ['created_after=yesterday', 'created_after'],
    ['extern_uid=1&provider=ldap', 'extern_uid'],
    ['without_projects=true', 'without_projects'],
    ['two_factor=enabled', 'two_factor'],
    ['search=abc%00def', 'search'],
    ['username=a%00', 'username'],
    ['search[]=abc', 'search'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const response = await client(api, api.rootToken).get(`/users?${query}`).expect(400);
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it('filters by creation time for admins', async () => {
    const far = '2999-01-01T00:00:00Z';
    expect((await client(api, api.rootToken).get(`/users?search=${tag}&created_after=${far}`).expect(200)).body).toEqual([]);
    const before = await client(api, api.rootToken).get(`/users?search=${tag}&created_before=${far}`).expect(200);
    expect(ids(before.body)).toEqual(expect.arrayContaining([alice.id, bob.id, carol.id]));
  });
});
