import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { digestToken } from '../src/auth/secret-token';
import { TestApp, startTestApp } from './support/test-app';

/** Changing LANYARD_ROOT_TOKEN replaces root's bootstrap token: the old one stops working at the next start. */
describe('LANYARD_ROOT_TOKEN changes', () => {
  const original = process.env.LANYARD_ROOT_TOKEN!;
  let api: TestApp;

  const status = async (app: TestApp, token: string) => (await app.http.get('/api/v4/user').set('PRIVATE-TOKEN', token)).status;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(async () => {
    // Every other test file authenticates with the original token: it is made root's only bootstrap token again.
    await api.app.get(DataSource).query(
      `UPDATE personal_access_tokens SET revoked = (token_digest <> $1)
        WHERE name = 'LANYARD_ROOT_TOKEN' AND user_id = (SELECT id FROM users WHERE username = 'root')`,
      [digestToken(original)],
    );
    await api.close();
  });

  it('revokes the previous value and keeps the tokens root made through the API', async () => {
    const root = await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', original).expect(200);
    const made = await api.http
      .post(`/api/v4/users/${root.body.id}/personal_access_tokens`)
      .set('PRIVATE-TOKEN', original)
      .send({ name: 'terraform', scopes: ['api'] })
      .expect(201);
    const replacement = `glpat-${randomBytes(20).toString('hex')}`;
    const restarted = await startTestApp({ LANYARD_ROOT_TOKEN: replacement });
    try {
      expect(await status(restarted, replacement)).toBe(200);
      expect(await status(restarted, original)).toBe(401);
      expect(await status(restarted, made.body.token)).toBe(200);
    } finally {
      await restarted.close();
    }
    const again = await startTestApp({ LANYARD_ROOT_TOKEN: replacement });
    try {
      expect(await status(again, replacement)).toBe(200);
      expect(await status(again, original)).toBe(401);
    } finally {
      await again.close();
    }
  });

  it('does not bring back a configured token that was revoked through the API', async () => {
    const replacement = `glpat-${randomBytes(20).toString('hex')}`;
    const first = await startTestApp({ LANYARD_ROOT_TOKEN: replacement });
    try {
      await first.http.delete('/api/v4/personal_access_tokens/self').set('PRIVATE-TOKEN', replacement).expect(204);
    } finally {
      await first.close();
    }
    const second = await startTestApp({ LANYARD_ROOT_TOKEN: replacement });
    try {
      expect(await status(second, replacement)).toBe(401);
    } finally {
      await second.close();
    }
  });
});
