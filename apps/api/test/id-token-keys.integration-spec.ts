import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const WITH_TOKEN = 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: https://verifier.example\n';
const WITHOUT_TOKEN = 'build:\n  script: [x]\n';
/** A new project's job timeout, which is its tokens' lifetime. */
const JOB_TIMEOUT_SECONDS = 3600;

async function tokenFrom(api: TestApp): Promise<string> {
  const fixture = await createCiFixture(api, WITH_TOKEN);
  await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
  const job = await requestJob(api, fixture.runnerToken).expect(201);
  return job.body.variables.find((v: { key: string }) => v.key === 'TOKEN').value;
}

describe('Signing key rotation and failures', () => {
  it('keeps tokens signed before and after a rotation verifiable through the JWKS', async () => {
    // A production-like publish lead, on a frozen clock: no sleeping, and every time below is exact.
    const clock = new TestClock();
    const lead = 86_400;
    const api = await startListeningTestApp({ LANYARD_KEY_PUBLISH_LEAD: '24h' }, { clock });
    try {
      const admin = (path: string) => api.http.post(`/api/v4/admin/ci/id_token_signing_keys${path}`).set('PRIVATE-TOKEN', api.rootToken);
      const seconds = () => clock.now().getTime() / 1000;
      const next = (await admin('').expect(201)).body;
      expect(new Date(next.usable_from).getTime() / 1000).toBe(seconds() + lead);

      clock.advance(lead - 1);
      const early = await admin(`/${next.kid}/activate`).expect(400);
      expect(early.body.message).toMatch(/may sign from .*LANYARD_KEY_PUBLISH_LEAD/);
      // The old key signs until the very last second before the rotation.
      const before = await tokenFrom(api);
      expect(decodeJwt(before)).toMatchObject({ iat: seconds(), nbf: seconds() - 5, exp: seconds() + JOB_TIMEOUT_SECONDS });
      clock.advance(1);
      await admin(`/${next.kid}/activate`).expect(200);
      const after = await tokenFrom(api);
      expect(decodeJwt(after)).toMatchObject({ iat: seconds(), nbf: seconds() - 5, exp: seconds() + JOB_TIMEOUT_SECONDS });

      expect(decodeProtectedHeader(after).kid).toBe(next.kid);
      expect(decodeProtectedHeader(before).kid).not.toBe(next.kid);
      // A verifier that fetches the key set now (after the rotation) still accepts the old key's tokens.
      const jwks = createRemoteJWKSet(new URL(`${api.baseUrl}/oauth/discovery/keys`));
      for (const token of [before, after]) {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: api.baseUrl,
          audience: 'https://verifier.example',
          algorithms: ['RS256'],
          currentDate: clock.now(),
        });
        // ... and for the token's whole lifetime: the retired key stays published past the token's expiry.
        const keys = (await api.http.get('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', api.rootToken)).body as {
          kid: string;
          state: string;
          published_until: string | null;
        }[];
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
