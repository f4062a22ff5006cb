import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

const WITH_TOKEN = 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: https://verifier.example\n';
const WITHOUT_TOKEN = 'build:\n  script: [x]\n';

async function tokenFrom(api: TestApp): Promise<string> {
  const fixture = await createCiFixture(api, WITH_TOKEN);
  await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
  const job = await requestJob(api, fixture.runnerToken).expect(201);
  return job.body.variables.find((v: { key: string }) => v.key === 'TOKEN').value;
}

describe('Signing key rotation and failures', () => {
  it('keeps tokens signed before and after a rotation verifiable through the JWKS', async () => {
    const api = await startListeningTestApp({ LANYARD_KEY_PUBLISH_LEAD: '1s' });
    try {
      const admin = (path: string) => api.http.post(`/api/v4/admin/ci/id_token_signing_keys${path}`).set('PRIVATE-TOKEN', api.rootToken);
      const before = await tokenFrom(api);
      const next = (await admin('').expect(201)).body;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(next.usable_from).getTime() - Date.now()) + 50));
      await admin(`/${next.kid}/activate`).expect(200);
      const after = await tokenFrom(api);

      expect(decodeProtectedHeader(after).kid).toBe(next.kid);
      expect(decodeProtectedHeader(before).kid).not.toBe(next.kid);
      // A verifier that fetches the key set now (after the rotation) still accepts the old key's tokens.
      const jwks = createRemoteJWKSet(new URL(`${api.baseUrl}/oauth/discovery/keys`));
      for (const token of [before, after]) {
        const { payload } = await jwtVerify(token, jwks, { issuer: api.baseUrl, audience: 'https://verifier.example', algorithms: ['RS256'] });
        // ... and for the token's whole lifetime: the retired key stays published past the token's expiry.
        const keys = (await api.http.get('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', api.rootToken)).body as { kid: string; state: string; published_until: string | null }[];
        const signer = keys.find((key) => key.kid === decodeProtectedHeader(token).kid)!;
        if (signer.state === 'retired') expect(new Date(signer.published_until!).getTime() / 1000).toBeGreaterThan(payload.exp!);
      }
    } finally {
      await api.close();
    }
  });

  it('fails only the jobs that need a token when the active key cannot be decrypted', async () => {
    // The key set exists, encrypted under the usual key, before a replica with the wrong key starts.
    await (await startTestApp()).close();
    const api = await startTestApp({ LANYARD_KEY_ENCRYPTION_KEY: 'f'.repeat(64) });
    try {
      const needsToken = await createCiFixture(api, WITH_TOKEN);
      await client(api, needsToken.maintainer).post(`/projects/${needsToken.projectId}/pipeline`, { ref: 'main' }).expect(201);
      await requestJob(api, needsToken.runnerToken).expect(204);
      const [failed] = (await client(api, needsToken.maintainer).get(`/projects/${needsToken.projectId}/jobs`).expect(200)).body;
      expect(failed).toMatchObject({ status: 'failed', failure_reason: 'id_token_generation_failed' });

      const plain = await createCiFixture(api, WITHOUT_TOKEN);
      await client(api, plain.maintainer).post(`/projects/${plain.projectId}/pipeline`, { ref: 'main' }).expect(201);
      const job = await requestJob(api, plain.runnerToken).expect(201);
      expect(job.body.job_info.name).toBe('build');
      expect((await api.http.get('/oauth/discovery/keys').expect(200)).body.keys.length).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
  });
});
