import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

const ISSUER = 'https://oidc.example.org/lanyard';

const ONE_TOKEN = `
deploy:
  script: [deploy]
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.example.com
`;

/**
 * GitLab's `ci_id_token_issuer_url` (issue 18 item 18): a private instance names a public static host as its issuer.
 * Its tokens and discovery say so, and the service says when the copy there must be refreshed after a key change.
 */
describe('LANYARD_ID_TOKEN_ISSUER_URL', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_ID_TOKEN_ISSUER_URL: ISSUER });
  });

  afterAll(() => api.close());

  it('is the issuer in discovery, with jwks_uri under it', async () => {
    const discovery = await api.http.get('/.well-known/openid-configuration').expect(200);
    expect(discovery.body).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/oauth/discovery/keys` });
  });

  it("is every token's iss, while the runner still talks to the external URL", async () => {
    const fixture = await createCiFixture(api, ONE_TOKEN);
    await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    const job = await requestJob(api, fixture.runnerToken).expect(201);
    const variables = job.body.variables as { key: string; value: string }[];
    const token = variables.find((variable) => variable.key === 'VAULT_ID_TOKEN')!.value;
    const keys = createLocalJWKSet((await api.http.get('/oauth/discovery/keys').expect(200)).body);
    const { payload } = await jwtVerify(token, keys, { issuer: ISSUER, audience: 'https://vault.example.com' });
    expect(payload.iss).toBe(ISSUER);
    expect(variables.find((variable) => variable.key === 'CI_SERVER_URL')!.value).toBe(process.env.LANYARD_EXTERNAL_URL);
  });

  it('after a key change, logs at warn that the published copy must be refreshed, and by when', async () => {
    const admin = api.http;
    const added = await admin.post('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', api.rootToken).expect(201);
    // Leave the shared key set as it was for the other files.
    await admin.post(`/api/v4/admin/ci/id_token_signing_keys/${added.body.kid}/retire`).set('PRIVATE-TOKEN', api.rootToken).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const warnings = readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8')
      .split('\n')
      .filter((line) => line.includes(`"kid":"${added.body.kid}"`) && line.includes('must be refreshed'))
      .map((line) => JSON.parse(line));
    const usableFrom = Date.parse(added.body.usable_from);
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringMatching(
          new RegExp(
            `^the key set published at ${ISSUER} must be refreshed \\(npm run export-oidc\\) by .*key ${added.body.kid} was added`,
          ),
        ),
        refreshBy: new Date(usableFrom - 630_000).toISOString(),
      }),
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining(`key ${added.body.kid} was retired`) }),
    ]);
  });
});
