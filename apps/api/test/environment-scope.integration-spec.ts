import { createCiFixture } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

// Ten stars and no `b` in the environment: a backtracking RegExp tries every way to place the stars (21 s for 42
// characters on main), blocking the event loop and every other request with it.
const HOSTILE_SCOPE = '*a*a*a*a*a*a*a*a*a*a*b';
const ENVIRONMENT = 'a'.repeat(42);

const DEPLOY = `
deploy:
  environment: ${ENVIRONMENT}
  script: echo deploy
`;

describe('Environment-scoped variables at pickup', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  // The test's own timeout only detects a hang (on main the pickup alone outlasts it); no speed is asserted.
  it('matches a hostile wildcard scope without freezing the process, and the JWKS answers meanwhile', async () => {
    const fixture = await createCiFixture(api, DEPLOY);
    const as = client(api, fixture.maintainer);
    await as
      .post(`/projects/${fixture.projectId}/variables`, { key: 'HOSTILE', value: 'never', environment_scope: HOSTILE_SCOPE })
      .expect(201);
    await as
      .post(`/projects/${fixture.projectId}/variables`, { key: 'STARRED', value: 'glob', environment_scope: '*a*a*a*a*a*a*a*a*a*a*' })
      .expect(201);
    await as
      .post(`/projects/${fixture.projectId}/variables`, { key: 'TOO_SHORT', value: 'never', environment_scope: `${'a'.repeat(43)}*` })
      .expect(201);
    await runPipeline(api, fixture.maintainer, fixture.projectId);

    const [job, jwks] = await Promise.all([takeJob(api, fixture.runnerToken), api.http.get('/oauth/discovery/keys')]);

    expect(jwks.status).toBe(200);
    const variables = variableMap(job);
    expect(variables.get('CI_ENVIRONMENT_NAME')?.value).toBe(ENVIRONMENT);
    expect(variables.get('STARRED')?.value).toBe('glob');
    expect(variables.has('HOSTILE')).toBe(false);
    expect(variables.has('TOO_SHORT')).toBe(false);
  }, 15_000);
});
