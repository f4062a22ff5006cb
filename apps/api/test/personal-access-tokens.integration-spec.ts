import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestApp, TestUser, createUser, startTestApp, uniqueName } from './support/test-app';
import { TestClock } from './support/test-clock';

const TOKEN_KEYS = ['active', 'created_at', 'description', 'expires_at', 'id', 'last_used_at', 'name', 'revoked', 'scopes', 'user_id'];

describe('Personal access tokens API', () => {
  const clock = new TestClock();
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
  });

  afterAll(() => api.close());

  const dayAfter = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

  /** A further token for `user`, made by the admin: its id and secret. */
  async function issueToken(user: TestUser, body: object = {}): Promise<{ id: number; token: string }> {
    const response = await api.http
      .post(`/api/v4/users/${user.id}/personal_access_tokens`)
      .set('PRIVATE-TOKEN', api.rootToken)
      .send({ name: uniqueName('tok'), scopes: ['api'], ...body })
      .expect(201);
    return { id: response.body.id, token: response.body.token };
  }

  const tokenIdOf = async (secret: string): Promise<number> =>
    (await api.http.get('/api/v4/personal_access_tokens/self').set('PRIVATE-TOKEN', secret).expect(200)).body.id;

  const works = async (secret: string) => (await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', secret)).status === 200;

  describe('another user’s token', () => {
    let alice: TestUser;
    let bob: TestUser;
    let aliceTokenId: number;

    beforeAll(async () => {
      alice = await createUser(api, 'alice');
      bob = await createUser(api, 'bob');
      aliceTokenId = await tokenIdOf(alice.token);
    });

    it('cannot be read: 401, the same as a token that does not exist', async () => {
      const other = await api.http.get(`/api/v4/personal_access_tokens/${aliceTokenId}`).set('PRIVATE-TOKEN', bob.token).expect(401);
      const none = await api.http.get('/api/v4/personal_access_tokens/999999999').set('PRIVATE-TOKEN', bob.token).expect(401);
      expect(other.body).toEqual({ message: '401 Unauthorized' });
      expect(none.body).toEqual(other.body);
    });

    it('cannot be rotated: 401, and it keeps working with no new token made', async () => {
      const before = await api.http.get(`/api/v4/personal_access_tokens?user_id=${alice.id}`).set('PRIVATE-TOKEN', api.rootToken);
      const response = await api.http
        .post(`/api/v4/personal_access_tokens/${aliceTokenId}/rotate`)
        .set('PRIVATE-TOKEN', bob.token)
        .expect(401);
      expect(response.body).toEqual({ message: '401 Unauthorized' });
      expect(await works(alice.token)).toBe(true);
      const after = await api.http.get(`/api/v4/personal_access_tokens?user_id=${alice.id}`).set('PRIVATE-TOKEN', api.rootToken);
      expect(after.body).toEqual(before.body);
    });

    it('cannot be revoked: GitLab’s bare 400, and it keeps working', async () => {
      const response = await api.http.delete(`/api/v4/personal_access_tokens/${aliceTokenId}`).set('PRIVATE-TOKEN', bob.token).expect(400);
      expect(response.body).toEqual({ message: '400 Bad request' });
      expect(await works(alice.token)).toBe(true);
    });

    it('cannot be listed: 401 for user_id naming someone else', async () => {
      await api.http.get(`/api/v4/personal_access_tokens?user_id=${alice.id}`).set('PRIVATE-TOKEN', bob.token).expect(401);
      const own = await api.http.get(`/api/v4/personal_access_tokens?user_id=${bob.id}`).set('PRIVATE-TOKEN', bob.token).expect(200);
      expect(own.body.map((t: { user_id: number }) => t.user_id)).toEqual([bob.id]);
    });

    it('is never in a non-admin’s list', async () => {
      const response = await api.http.get('/api/v4/personal_access_tokens').set('PRIVATE-TOKEN', bob.token).expect(200);
      expect(response.body.map((t: { user_id: number }) => t.user_id)).toEqual([bob.id]);
    });

    it('is visible to an admin, who alone learns that a token does not exist (404)', async () => {
      const shown = await api.http.get(`/api/v4/personal_access_tokens/${aliceTokenId}`).set('PRIVATE-TOKEN', api.rootToken).expect(200);
      expect(shown.body).toMatchObject({ id: aliceTokenId, user_id: alice.id, active: true });
      const none = await api.http.get('/api/v4/personal_access_tokens/999999999').set('PRIVATE-TOKEN', api.rootToken).expect(404);
      expect(none.body).toEqual({ message: '404 Not Found' });
      await api.http.delete('/api/v4/personal_access_tokens/999999999').set('PRIVATE-TOKEN', bob.token).expect(404);
    });
  });

  it('answers GitLab’s token entity, without the token or its digest', async () => {
    const user = await createUser(api);
    const { id, token } = await issueToken(user, {
      name: 'ci',
      scopes: ['read_api', 'read_user'],
      expires_at: dayAfter(30),
      description: 'reads pipelines',
    });
    const response = await api.http.get(`/api/v4/personal_access_tokens/${id}`).set('PRIVATE-TOKEN', user.token).expect(200);
    expect(response.body).toEqual({
      id,
      name: 'ci',
      revoked: false,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      description: 'reads pipelines',
      scopes: ['read_api', 'read_user'],
      user_id: user.id,
      last_used_at: null,
      active: true,
      expires_at: dayAfter(30),
    });
    const digest = createHash('sha256').update(token).digest('hex');
    const list = await api.http.get('/api/v4/personal_access_tokens').set('PRIVATE-TOKEN', user.token).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(digest);
    expect(JSON.stringify(list.body)).not.toContain(token);
    for (const entry of list.body) expect(Object.keys(entry).sort()).toEqual(TOKEN_KEYS);
  });

  it('lists every user’s tokens to an admin, and one user’s with user_id (404 for no such user)', async () => {
    const carol = await createUser(api);
    const dave = await createUser(api);
    const all = await api.http.get('/api/v4/personal_access_tokens?per_page=100&sort=created_desc').set('PRIVATE-TOKEN', api.rootToken);
    expect(all.status).toBe(200);
    expect(all.body.map((t: { user_id: number }) => t.user_id)).toEqual(expect.arrayContaining([carol.id, dave.id]));
    const carols = await api.http.get(`/api/v4/personal_access_tokens?user_id=${carol.id}`).set('PRIVATE-TOKEN', api.rootToken).expect(200);
    expect(carols.body.map((t: { user_id: number }) => t.user_id)).toEqual([carol.id]);
    const none = await api.http.get('/api/v4/personal_access_tokens?user_id=999999999').set('PRIVATE-TOKEN', api.rootToken).expect(404);
    expect(none.body).toEqual({ message: '404 Not Found' });
  });

  it('applies GitLab’s filters and sorts, and refuses values outside them', async () => {
    const user = await createUser(api);
    const soon = await issueToken(user, { name: 'deploy-soon', expires_at: dayAfter(2) });
    const later = await issueToken(user, { name: 'deploy-later', expires_at: dayAfter(40) });
    await api.http.delete(`/api/v4/personal_access_tokens/${later.id}`).set('PRIVATE-TOKEN', user.token).expect(204);
    const get = (query: string) => api.http.get(`/api/v4/personal_access_tokens?${query}`).set('PRIVATE-TOKEN', user.token);
    const ids = async (query: string) => {
      const response = await get(query);
      expect(response.status).toBe(200);
      return response.body.map((t: { id: number }) => t.id);
    };
    const first = await tokenIdOf(user.token);
    expect(await ids('')).toEqual([first, soon.id, later.id]);
    expect(await ids('revoked=true')).toEqual([later.id]);
    expect(await ids('revoked=false')).toEqual([first, soon.id]);
    expect(await ids('state=active')).toEqual([first, soon.id]);
    expect(await ids('state=inactive')).toEqual([later.id]);
    expect(await ids('search=deploy')).toEqual([soon.id, later.id]);
    expect(await ids('search=DEPLOY-SOON')).toEqual([soon.id]);
    expect(await ids('search=de')).toEqual([]);
    expect(await ids('search=50%25')).toEqual([]);
    expect(await ids(`expires_before=${dayAfter(10)}`)).toEqual([soon.id]);
    expect(await ids(`expires_after=${dayAfter(10)}`)).toEqual([later.id]);
    expect(await ids('sort=name_asc')).toEqual([later.id, soon.id, first]);
    expect(await ids('sort=expires_asc')).toEqual([soon.id, later.id, first]);
    expect(await ids('created_after=2000-01-01T00:00:00Z&created_before=2999-01-01T00:00:00Z')).toEqual([first, soon.id, later.id]);
    expect(await ids('created_before=2000-01-01T00:00:00Z')).toEqual([]);
    // Each request stamps the caller's token: only `first` has been used, at the clock's time.
    const minute = (offset: number) => new Date(clock.now().getTime() + offset * 60_000).toISOString();
    expect(await ids(`last_used_after=${minute(-1)}`)).toEqual([first]);
    expect(await ids(`last_used_before=${minute(1)}`)).toEqual([first]);
    expect(await ids(`last_used_before=${minute(-1)}`)).toEqual([]);
    expect(await ids('sort=last_used_desc')).toEqual([later.id, soon.id, first]);
    expect(await ids('sort=last_used_asc')).toEqual([first, later.id, soon.id]);
    clock.advance(3 * 86_400);
    try {
      expect(await ids('state=inactive')).toEqual([soon.id, later.id]);
    } finally {
      clock.advance(-3 * 86_400);
    }
    await get('state=expired').expect(400);
    await get('sort=popularity').expect(400);
    await get('last_used_after=yesterday').expect(400);
  });

  describe('self', () => {
    it('shows the calling token, whatever its scopes, and refuses the rest of the API to a narrow one', async () => {
      const user = await createUser(api);
      const narrow = await issueToken(user, { name: 'git-only', scopes: ['write_repository'] });
      const response = await api.http.get('/api/v4/personal_access_tokens/self').set('PRIVATE-TOKEN', narrow.token).expect(200);
      expect(response.body).toMatchObject({ id: narrow.id, name: 'git-only', scopes: ['write_repository'], user_id: user.id });
      await api.http.get('/api/v4/personal_access_tokens').set('PRIVATE-TOKEN', narrow.token).expect(403);
      await api.http.post('/api/v4/personal_access_tokens/self/rotate').set('PRIVATE-TOKEN', narrow.token).expect(403);
    });

    it('lets a self_rotate token rotate itself and do nothing else', async () => {
      const user = await createUser(api);
      const rotator = await issueToken(user, { scopes: ['self_rotate'] });
      await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', rotator.token).expect(403);
      await api.http.post(`/api/v4/personal_access_tokens/${rotator.id}/rotate`).set('PRIVATE-TOKEN', rotator.token).expect(403);
      const rotated = await api.http.post('/api/v4/personal_access_tokens/self/rotate').set('PRIVATE-TOKEN', rotator.token).expect(200);
      expect(rotated.body.scopes).toEqual(['self_rotate']);
      await api.http.post('/api/v4/personal_access_tokens/self/rotate').set('PRIVATE-TOKEN', rotated.body.token).expect(200);
    });

    it('revokes the calling token (204), which then stops working', async () => {
      const user = await createUser(api);
      const spare = await issueToken(user, { scopes: ['read_user'] });
      await api.http.delete('/api/v4/personal_access_tokens/self').set('PRIVATE-TOKEN', spare.token).expect(204);
      await api.http.get('/api/v4/personal_access_tokens/self').set('PRIVATE-TOKEN', spare.token).expect(401);
      expect(await works(user.token)).toBe(true);
      const shown = await api.http.get(`/api/v4/personal_access_tokens/${spare.id}`).set('PRIVATE-TOKEN', user.token).expect(200);
      expect(shown.body).toMatchObject({ revoked: true, active: false });
    });

    it('rotates the calling token: the new one is shown once and lives a week, the old one is revoked', async () => {
      const user = await createUser(api);
      const old = await issueToken(user, { name: 'deployer', scopes: ['api', 'read_user'], description: 'ships it' });
      const response = await api.http.post('/api/v4/personal_access_tokens/self/rotate').set('PRIVATE-TOKEN', old.token).expect(200);
      expect(response.body).toEqual({
        id: expect.any(Number),
        name: 'deployer',
        revoked: false,
        created_at: expect.any(String),
        description: 'ships it',
        scopes: ['api', 'read_user'],
        user_id: user.id,
        last_used_at: null,
        active: true,
        expires_at: dayAfter(7),
        token: expect.stringMatching(/^glpat-/),
      });
      expect(response.body.id).not.toBe(old.id);
      expect(await works(old.token)).toBe(false);
      expect(await works(response.body.token)).toBe(true);
      const shown = await api.http.get(`/api/v4/personal_access_tokens/${response.body.id}`).set('PRIVATE-TOKEN', user.token).expect(200);
      expect(shown.body).not.toHaveProperty('token');
      const rows: { token_digest: string }[] = await api.app
        .get(DataSource)
        .query('SELECT token_digest FROM personal_access_tokens WHERE id = $1', [response.body.id]);
      expect(rows[0].token_digest).toBe(createHash('sha256').update(response.body.token).digest('hex'));
    });
  });

  describe('rotation by id', () => {
    it('takes expires_at, and lets an admin rotate anyone’s token', async () => {
      const user = await createUser(api);
      const own = await issueToken(user);
      const mine = await api.http
        .post(`/api/v4/personal_access_tokens/${own.id}/rotate`)
        .set('PRIVATE-TOKEN', user.token)
        .send({ expires_at: dayAfter(90) })
        .expect(200);
      expect(mine.body).toMatchObject({ user_id: user.id, expires_at: dayAfter(90), active: true });
      const byAdmin = await api.http
        .post(`/api/v4/personal_access_tokens/${mine.body.id}/rotate`)
        .set('PRIVATE-TOKEN', api.rootToken)
        .expect(200);
      expect(byAdmin.body).toMatchObject({ user_id: user.id, expires_at: dayAfter(7) });
      expect(await works(mine.body.token)).toBe(false);
      expect(await works(byAdmin.body.token)).toBe(true);
    });

    it('refuses a revoked token, and an expiry not in the future or beyond a year', async () => {
      const user = await createUser(api);
      const spare = await issueToken(user);
      const post = (id: number, body: object = {}) =>
        api.http.post(`/api/v4/personal_access_tokens/${id}/rotate`).set('PRIVATE-TOKEN', user.token).send(body);
      const past = await post(spare.id, { expires_at: dayAfter(0) }).expect(400);
      expect(past.body).toEqual({ message: { expires_at: ['must be in the future'] } });
      const far = await post(spare.id, { expires_at: dayAfter(366) }).expect(400);
      expect(far.body).toEqual({ message: `400 Bad request - Expires at must be before ${dayAfter(365)}` });
      expect(await works(spare.token)).toBe(true);
      await post(spare.id, { expires_at: dayAfter(365) }).expect(200);
      const again = await post(spare.id).expect(400);
      expect(again.body).toEqual({ message: '400 Bad request - Token already revoked' });
    });

    it('revokes the whole rotated family when a rotated-away token is presented for rotation again', async () => {
      const user = await createUser(api);
      const first = await issueToken(user);
      const rotate = (secret: string) => api.http.post('/api/v4/personal_access_tokens/self/rotate').set('PRIVATE-TOKEN', secret);
      const second = (await rotate(first.token).expect(200)).body.token as string;
      const third = (await rotate(second).expect(200)).body.token as string;
      // Only a rotation route counts as reuse: elsewhere a revoked token is just refused.
      await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', first.token).expect(401);
      expect(await works(third)).toBe(true);
      await rotate(first.token).expect(401);
      expect(await works(third)).toBe(false);
      expect(await works(user.token)).toBe(true);
    });

    it('makes one new token when two rotations of one token race', async () => {
      const user = await createUser(api);
      const spare = await issueToken(user);
      const rotate = () => api.http.post(`/api/v4/personal_access_tokens/${spare.id}/rotate`).set('PRIVATE-TOKEN', user.token);
      const statuses = (await Promise.all([rotate(), rotate(), rotate()])).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400, 400]);
      const list = await api.http.get('/api/v4/personal_access_tokens?state=active').set('PRIVATE-TOKEN', user.token).expect(200);
      expect(list.body).toHaveLength(2);
    });
  });

  it('records when a token authenticates, at most every ten minutes, as GitLab', async () => {
    const user = await createUser(api);
    const spare = await issueToken(user);
    const lastUsed = async () =>
      (await api.http.get(`/api/v4/personal_access_tokens/${spare.id}`).set('PRIVATE-TOKEN', user.token).expect(200)).body.last_used_at;
    expect(await lastUsed()).toBeNull();
    const firstUse = clock.now().toISOString();
    expect(await works(spare.token)).toBe(true);
    expect(await lastUsed()).toBe(firstUse);
    clock.advance(5 * 60);
    try {
      expect(await works(spare.token)).toBe(true);
      expect(await lastUsed()).toBe(firstUse);
      clock.advance(6 * 60);
      const later = clock.now().toISOString();
      expect(await works(spare.token)).toBe(true);
      expect(await lastUsed()).toBe(later);
    } finally {
      clock.advance(-11 * 60);
    }
  });

  it('revokes an own token by id (204, again 204), after which it stops working', async () => {
    const user = await createUser(api);
    const spare = await issueToken(user);
    await api.http.delete(`/api/v4/personal_access_tokens/${spare.id}`).set('PRIVATE-TOKEN', user.token).expect(204);
    await api.http.delete(`/api/v4/personal_access_tokens/${spare.id}`).set('PRIVATE-TOKEN', user.token).expect(204);
    expect(await works(spare.token)).toBe(false);
  });
});
