import { TestApp, createUser, startTestApp, uniqueName } from './support/test-app';
import { refusedFields } from './support/refusals';

describe('Users API', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('answers GET /user for the root token, by PRIVATE-TOKEN and by Bearer', async () => {
    const byHeader = await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', api.rootToken).expect(200);
    expect(byHeader.body).toMatchObject({ username: 'root', is_admin: true, state: 'active' });
    const byBearer = await api.http.get('/api/v4/user').set('Authorization', `Bearer ${api.rootToken}`).expect(200);
    expect(byBearer.body.id).toBe(byHeader.body.id);
  });

  it.each([
    ['no token', {}],
    ['an unknown token', { 'PRIVATE-TOKEN': 'glpat-unknown-token-value' }],
    ['a malformed Authorization header', { Authorization: 'Basic abc' }],
  ])('rejects %s with 401', async (_case, headers) => {
    const response = await api.http
      .get('/api/v4/user')
      .set(headers as Record<string, string>)
      .expect(401);
    expect(response.body).toEqual({ message: '401 Unauthorized' });
  });

  it('creates a user with a personal namespace and a working token', async () => {
    const user = await createUser(api, 'alice');
    const me = await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', user.token).expect(200);
    expect(me.body).toMatchObject({ id: user.id, username: user.username, is_admin: false });
    const project = await api.http.post('/api/v4/projects').set('PRIVATE-TOKEN', user.token).send({ name: 'mine' }).expect(201);
    expect(project.body.namespace).toMatchObject({ kind: 'user', path: user.username, full_path: user.username });
    expect(project.body.path_with_namespace).toBe(`${user.username}/mine`);
  });

  it('lets only admins create users and tokens (403)', async () => {
    const user = await createUser(api);
    await api.http
      .post('/api/v4/users')
      .set('PRIVATE-TOKEN', user.token)
      .send({ username: uniqueName('x'), name: 'x', email: `${uniqueName('x')}@example.com` })
      .expect(403);
    await api.http.post(`/api/v4/users/${user.id}/personal_access_tokens`).set('PRIVATE-TOKEN', user.token).send({ name: 't' }).expect(403);
  });

  it.each([
    [{ name: 'n', email: 'a@example.com' }, 'username'],
    [{ username: '-bad', name: 'n', email: 'a@example.com' }, 'username'],
    [{ username: 'ok-name', name: 'n', email: 'not-an-email' }, 'email'],
    [{ username: 'ok.git', name: 'n', email: 'a@example.com' }, 'username'],
    [{ username: 'ok-name', name: 'bad\u0000name', email: 'a@example.com' }, 'name'],
    [{ username: 'ok-name', name: 'n', email: 'a@example.com', admin: 'yes' }, 'admin'],
  ])('rejects %j with 400 naming %s', async (body, field) => {
    const response = await api.http.post('/api/v4/users').set('PRIVATE-TOKEN', api.rootToken).send(body).expect(400);
    expect(refusedFields(response.body)).toContain(field);
  });

  it('rejects a taken username with 409', async () => {
    const user = await createUser(api);
    const response = await api.http
      .post('/api/v4/users')
      .set('PRIVATE-TOKEN', api.rootToken)
      .send({ username: user.username.toUpperCase(), name: 'dup', email: `${uniqueName('d')}@example.com` })
      .expect(409);
    expect(response.body.message).toMatch(/Username has already been taken/);
  });

  it('stores tokens only as SHA-256 digests', async () => {
    const user = await createUser(api);
    const { DataSource } = await import('typeorm');
    const rows: { token_digest: string }[] = await api.app
      .get(DataSource)
      .query('SELECT token_digest FROM personal_access_tokens WHERE user_id = $1', [user.id]);
    const { createHash } = await import('node:crypto');
    expect(rows.map((r) => r.token_digest)).toEqual([createHash('sha256').update(user.token).digest('hex')]);
  });

  it('rejects an expired token creation date and unknown users', async () => {
    const user = await createUser(api);
    await api.http
      .post(`/api/v4/users/${user.id}/personal_access_tokens`)
      .set('PRIVATE-TOKEN', api.rootToken)
      .send({ name: 't', expires_at: '2001-01-01' })
      .expect(400);
    await api.http
      .post('/api/v4/users/999999999/personal_access_tokens')
      .set('PRIVATE-TOKEN', api.rootToken)
      .send({ name: 't' })
      .expect(404);
  });
});
