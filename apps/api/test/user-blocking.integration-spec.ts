import { client } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp, uniqueName } from './support/test-app';

const BLOCKED = { message: '403 Forbidden - Your account has been blocked.' };

/** GitLab's `POST /users/:id/block` and `/unblock` (`lib/api/users.rb`, spec/requests/api/users_spec.rb). */
describe('Blocking users', () => {
  let api: TestApp;
  let admin: ReturnType<typeof client>;

  const block = (id: number, who: TestUser | string = api.rootToken) => client(api, who).post(`/users/${id}/block`);
  const unblock = (id: number, who: TestUser | string = api.rootToken) => client(api, who).post(`/users/${id}/unblock`);

  beforeAll(async () => {
    api = await startTestApp();
    admin = client(api, api.rootToken);
  });

  afterAll(() => api.close());

  it('blocks a user: 201 true, state blocked, and their tokens stop working with GitLab’s 403', async () => {
    const user = await createUser(api, 'blockme');
    await client(api, user).get('/user').expect(200);

    const response = await block(user.id).expect(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.text).toBe('true');

    expect((await admin.get(`/users/${user.id}`).expect(200)).body).toMatchObject({ id: user.id, state: 'blocked' });
    for (const attempt of [
      client(api, user).get('/user'),
      client(api, user).post('/projects', { name: uniqueName('p') }),
      api.http.get('/api/v4/user').set('Authorization', `Bearer ${user.token}`),
      api.http.get(`/api/v4/user?private_token=${user.token}`),
    ]) {
      const refused = await attempt;
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(BLOCKED);
    }
  });

  it('answers 201 null for a user who is already blocked', async () => {
    const user = await createUser(api, 'twice');
    await block(user.id).expect(201);
    const again = await block(user.id).expect(201);
    expect(again.text).toBe('null');
    expect((await admin.get(`/users/${user.id}`)).body.state).toBe('blocked');
  });

  it('unblocks: 201 true and the same token works again; unblocking an active user is 201 false', async () => {
    const user = await createUser(api, 'unblockme');
    await block(user.id).expect(201);
    const response = await unblock(user.id).expect(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.text).toBe('true');
    expect((await client(api, user).get('/user').expect(200)).body).toMatchObject({ id: user.id, state: 'active' });
    expect((await unblock(user.id).expect(201)).text).toBe('false');
  });

  it('may block another admin, as GitLab’s API does', async () => {
    const promoted = await admin
      .post('/users', { username: uniqueName('adm'), name: 'Admin', email: `${uniqueName('adm')}@example.com`, admin: true })
      .expect(201);
    expect((await block(promoted.body.id).expect(201)).text).toBe('true');
    expect((await admin.get(`/users/${promoted.body.id}`)).body).toMatchObject({ state: 'blocked', is_admin: true });
  });

  it('refuses to block the calling admin', async () => {
    const root = (await admin.get('/user').expect(200)).body;
    const response = await block(root.id).expect(403);
    expect(response.body).toEqual({ message: '403 Forbidden - The API initiating user cannot be blocked by the API' });
    await admin.get('/user').expect(200);
  });

  it('answers 404 User Not Found for an unknown user', async () => {
    for (const action of [block, unblock]) {
      const response = await action(999_999_999).expect(404);
      expect(response.body).toEqual({ message: '404 User Not Found' });
    }
  });

  it('is for admins only (403), and changes nothing', async () => {
    const [user, victim] = await Promise.all([createUser(api, 'plain'), createUser(api, 'victim')]);
    await block(victim.id, user).expect(403);
    await client(api, victim).get('/user').expect(200);
    await block(victim.id).expect(201);
    await unblock(victim.id, user).expect(403);
    expect((await admin.get(`/users/${victim.id}`)).body.state).toBe('blocked');
  });

  it('needs the api scope: an admin’s read_api token cannot block', async () => {
    const root = (await admin.get('/user')).body;
    const token = (await admin.post(`/users/${root.id}/personal_access_tokens`, { name: 'ro', scopes: ['read_api'] }).expect(201)).body
      .token;
    const victim = await createUser(api, 'scoped');
    const response = await block(victim.id, token).expect(403);
    expect(response.body.error).toBe('insufficient_scope');
    await client(api, victim).get('/user').expect(200);
  });
});
