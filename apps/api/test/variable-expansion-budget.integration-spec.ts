import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

/** Forty variables, each referring twice to the one before: expanded in full, the last would be 2^43 characters. */
const MULTIPLYING = [
  'variables:',
  '  V0: xxxxxxxxxxxxxxxx',
  ...Array.from({ length: 39 }, (_, i) => `  V${i + 1}: $V${i}$V${i}`),
  'deploy:',
  '  environment: review/$V39',
  '  id_tokens:',
  '    VAULT_ID_TOKEN:',
  '      aud: https://vault.example.com/$V39',
  '  script: [make]',
  '',
].join('\n');

/**
 * Issue 19 (found by the fuzz pass's property tests): variable expansion ran out of memory on such a file, after
 * seconds of work, whenever a pipeline was created or a runner asked for the job. It must be refused early instead,
 * as a circular reference is: the values stay unexpanded, the job is still created and picked up.
 */
describe('Variables that multiply when expanded', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('neither stop pipeline creation nor the pickup of the job', async () => {
    const fixture = await createCiFixture(api, MULTIPLYING);
    const started = Date.now();
    const pipeline = await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' });
    expect(pipeline.status).toBe(201);
    const pickup = await requestJob(api, fixture.runnerToken);
    expect(pickup.status).toBe(201);
    expect(pickup.body.job_info.name).toBe('deploy');
    const token = pickup.body.variables.find((variable: { key: string }) => variable.key === 'VAULT_ID_TOKEN');
    const claims = JSON.parse(Buffer.from(token.value.split('.')[1], 'base64url').toString('utf8'));
    // As on a circular reference: expanded once against the unexpanded values, never grown.
    expect(claims.aud).toBe('https://vault.example.com/$V38$V38');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
