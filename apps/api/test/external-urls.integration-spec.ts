import { createCiFixture } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

const EXTERNAL = 'https://ci.example.test/gitlab';

/** Issue 18 item 11: every URL in an answer starts at the external URL, whatever Host the request named. */
describe('External URLs', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ LANYARD_EXTERNAL_URL: EXTERNAL });
  });

  afterAll(() => api.close());

  it('builds pagination Link headers from the external URL, not the Host header', async () => {
    const response = await api.http
      .get('/api/v4/projects?per_page=1&page=2&order_by=id')
      .set('Host', 'attacker.example:1234')
      .set('X-Forwarded-Host', 'other.example')
      .set('PRIVATE-TOKEN', api.rootToken)
      .expect(200);
    const links = String(response.headers.link).split(', ');
    expect(links.length).toBeGreaterThan(2);
    for (const link of links) expect(link).toMatch(new RegExp(`^<${EXTERNAL}/api/v4/projects\\?`));
    expect(links).toContainEqual(`<${EXTERNAL}/api/v4/projects?per_page=1&page=1&order_by=id>; rel="prev"`);
  });

  it('builds web_url, CI_SERVER_URL and repo_url from the external URL', async () => {
    const fixture = await createCiFixture(api, 'job:\n  script: [make]\n');
    const project = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}`).set('Host', 'attacker.example');
    expect(project.body.web_url).toMatch(new RegExp(`^${EXTERNAL}/`));
    await runPipeline(api, fixture.maintainer, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const variables = variableMap(job);
    expect(variables.get('CI_SERVER_URL')?.value).toBe(EXTERNAL);
    expect(variables.get('CI_PROJECT_URL')?.value).toBe(project.body.web_url);
    expect(new URL(String((job.git_info as { repo_url: string }).repo_url)).origin).toBe(new URL(EXTERNAL).origin);
    expect((job.git_info as { repo_url: string }).repo_url).toMatch(/^https:\/\/gitlab-ci-token:[^@]+@ci\.example\.test\/gitlab\//);
  });
});
