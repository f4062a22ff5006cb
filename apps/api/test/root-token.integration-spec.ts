import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { digestToken } from '../src/auth/secret-token';
import { RootUserBootstrap } from '../src/users/root-user.bootstrap';
import { TestApp, startTestApp } from './support/test-app';

const SUITE_TOKEN = process.env.LANYARD_ROOT_TOKEN!;
const CHANGED_TOKEN = `changed-root-token-${randomBytes(12).toString('hex')}`;

/**
 * Recovering root (issue 18 items 8 and 16): a new LANYARD_ROOT_TOKEN revokes the earlier root token, and a reset
 * replaces it. This file changes the token every other file uses, and puts it back in afterAll (files run one at a time).
 */
describe('the root token', () => {
  let api: TestApp;

  const status = async (token: string) => (await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', token)).status;

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_ROOT_TOKEN: CHANGED_TOKEN });
  });

  afterAll(async () => {
    if (!api) return;
    const db = api.app.get(DataSource);
    await db.query(`UPDATE personal_access_tokens SET revoked = (token_digest <> $1) WHERE name IN ($2, $3, $4)`, [
      digestToken(SUITE_TOKEN),
      'LANYARD_ROOT_TOKEN',
      'initial root token',
      'reset root token',
    ]);
    await api.close();
  });

  it('a changed LANYARD_ROOT_TOKEN works and the earlier one is revoked', async () => {
    expect(await status(CHANGED_TOKEN)).toBe(200);
    expect(await status(SUITE_TOKEN)).toBe(401);
  });

  it('refuses to start with a root token that was revoked, naming the variable', async () => {
    await expect(startTestApp({ LANYARD_ROOT_TOKEN: SUITE_TOKEN })).rejects.toThrow(
      'Invalid configuration: LANYARD_ROOT_TOKEN is a revoked root token; choose a new value',
    );
  });

  it("refuses another user's token as the root token", async () => {
    const user = await api.http
      .post('/api/v4/users')
      .set('PRIVATE-TOKEN', CHANGED_TOKEN)
      .send({ username: `rt-${process.pid}`, name: 'rt', email: `rt-${process.pid}@example.com` })
      .expect(201);
    const token = await api.http
      .post(`/api/v4/users/${user.body.id}/personal_access_tokens`)
      .set('PRIVATE-TOKEN', CHANGED_TOKEN)
      .send({ name: 'theirs', scopes: ['api'] })
      .expect(201);
    await expect(startTestApp({ LANYARD_ROOT_TOKEN: token.body.token })).rejects.toThrow("LANYARD_ROOT_TOKEN is another user's token");
  });

  it('a reset gives a new token that works and revokes the earlier one, leaving root a user token it made itself', async () => {
    const own = await api.http
      .post('/api/v4/users/1/personal_access_tokens')
      .set('PRIVATE-TOKEN', CHANGED_TOKEN)
      .send({ name: 'automation', scopes: ['api'] })
      .expect(201);
    const reset = await api.app.get(RootUserBootstrap).resetToken();
    expect(reset).toMatch(/^glpat-/);
    expect(await status(reset)).toBe(200);
    expect(await status(CHANGED_TOKEN)).toBe(401);
    expect(await status(own.body.token)).toBe(200);
  });
});
