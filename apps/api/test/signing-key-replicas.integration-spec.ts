import { JWKS_REFRESH_INTERVAL_SECONDS } from '@lanyard/id-tokens';
import { decodeProtectedHeader } from 'jose';
import { createCiFixture } from './support/ci-fixtures';
import { runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

const WITH_TOKEN = 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: https://verifier.example\n';

/** Polls until `condition` holds or the deadline passes; answers whether it held. */
async function eventually(condition: () => Promise<boolean>, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

describe('Signing keys across replicas on one database', () => {
  let a: TestApp;
  let b: TestApp;
  // B reloads its key set every 30 s from its start: a change seen on B before then came by notification.
  let beforeBsPeriodicRefresh: number;

  beforeAll(async () => {
    a = await startTestApp({ LANYARD_KEY_PUBLISH_LEAD: '1s' });
    const bStarted = Date.now();
    b = await startTestApp({ LANYARD_KEY_PUBLISH_LEAD: '1s' });
    beforeBsPeriodicRefresh = bStarted + JWKS_REFRESH_INTERVAL_SECONDS * 1000 - 2_000;
  });

  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const kidsOn = async (replica: TestApp) =>
    ((await replica.http.get('/oauth/discovery/keys').expect(200)).body.keys as { kid: string }[]).map((key) => key.kid);
  const onA = (path: string) => a.http.post(`/api/v4/admin/ci/id_token_signing_keys${path}`).set('PRIVATE-TOKEN', a.rootToken);

  it("publishes a key added through A on B's JWKS without waiting for B's periodic refresh, and drops it when A revokes it", async () => {
    const added = (await onA('').expect(201)).body as { kid: string };
    expect(await eventually(async () => (await kidsOn(b)).includes(added.kid), beforeBsPeriodicRefresh)).toBe(true);

    await onA(`/${added.kid}/revoke`).expect(200);
    expect(await eventually(async () => !(await kidsOn(b)).includes(added.kid), beforeBsPeriodicRefresh)).toBe(true);
  });

  it('signs on B with the key A promoted when it revoked the active one', async () => {
    const fixture = await createCiFixture(b, WITH_TOKEN);
    const list = async () =>
      (await a.http.get('/api/v4/admin/ci/id_token_signing_keys').set('PRIVATE-TOKEN', a.rootToken).expect(200)).body as {
        kid: string;
        state: string;
      }[];
    const compromised = (await list()).find((key) => key.state === 'active')!.kid;
    const successor = (await onA('').expect(201)).body as { kid: string };
    await onA(`/${compromised}/revoke`).expect(200);

    await runPipeline(b, fixture.maintainer, fixture.projectId);
    const job = await takeJob(b, fixture.runnerToken);

    expect(decodeProtectedHeader(variableMap(job).get('TOKEN')!.value).kid).toBe(successor.kid);
    expect(await eventually(async () => !(await kidsOn(b)).includes(compromised), beforeBsPeriodicRefresh)).toBe(true);
  });
});
