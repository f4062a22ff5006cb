import { DataSource } from 'typeorm';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, runPipeline } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const withAud = (aud: string, variables = '') => `${variables}
deploy:
  id_tokens:
    VAULT_ID_TOKEN:
      aud: ${aud}
  script: echo
`;

const MASKED_VALUE = 'bWFza2VkLXNlY3JldA';

/** An audience is public (every relying party and the issuance audit see it): it never carries a secret. */
describe('ID token audiences that would carry a secret', () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'aud-owner');
  });

  afterAll(() => api.close());

  const as = () => client(api, owner);
  const defineVariable = (path: string, key: string, value: string, masked = false) =>
    as().post(`${path}/variables`, { key, value, masked }).expect(201);

  /** A project in a group, the group holding a masked variable. */
  async function projectWithMaskedGroupVariable() {
    const group = await resources(api).group(owner);
    await defineVariable(`/groups/${group.id}`, 'GROUP_SECRET', MASKED_VALUE, true);
    const fixture = await createCiFixture(api, withAud('literal'), { owner, groupId: group.id });
    await defineVariable(`/projects/${fixture.projectId}`, 'PROJECT_SECRET', MASKED_VALUE, true);
    await defineVariable(`/projects/${fixture.projectId}`, 'PLAIN_AUD', 'https://vault.example.com');
    return fixture;
  }

  describe('POST /projects/:id/ci/lint', () => {
    it.each([
      ['the job token', withAud('$CI_JOB_TOKEN'), 'CI_JOB_TOKEN'],
      ['a legacy job JWT', withAud('[a, "${CI_JOB_JWT_V2}"]'), 'CI_JOB_JWT_V2'],
      ['the registry password (the job token)', withAud('https://$CI_REGISTRY_PASSWORD'), 'CI_REGISTRY_PASSWORD'],
      ['the job token through a YAML variable', withAud('$VIA', 'variables:\n  VIA: x-$CI_JOB_TOKEN\n'), 'CI_JOB_TOKEN'],
      ["a masked variable of the project's group", withAud('"%GROUP_SECRET%"'), 'GROUP_SECRET'],
      ['a masked project variable through a YAML variable', withAud('$VIA', 'variables:\n  VIA: ${PROJECT_SECRET}\n'), 'PROJECT_SECRET'],
    ])('reports an aud referring to %s', async (_title, content, secret) => {
      const fixture = await projectWithMaskedGroupVariable();
      const linted = await as().post(`/projects/${fixture.projectId}/ci/lint`, { content }).expect(200);
      expect(linted.body).toMatchObject({
        valid: false,
        errors: [expect.stringContaining(`jobs:deploy:id_tokens:VAULT_ID_TOKEN aud refers to ${secret}, which holds a secret`)],
      });
      expect(JSON.stringify(linted.body)).not.toContain(MASKED_VALUE);
    });

    it('accepts an aud of a plain variable, a literal, and a $$ escape', async () => {
      const fixture = await projectWithMaskedGroupVariable();
      for (const content of [withAud('$PLAIN_AUD'), withAud('sts.amazonaws.com'), withAud('$VIA', 'variables:\n  VIA: $$CI_JOB_TOKEN\n')]) {
        const linted = await as().post(`/projects/${fixture.projectId}/ci/lint`, { content }).expect(200);
        expect([content, linted.body.valid, linted.body.errors]).toEqual([content, true, []]);
      }
    });
  });

  describe('POST /projects/:id/pipeline', () => {
    it('refuses to create a pipeline whose aud refers to a secret, and creates nothing', async () => {
      const fixture = await projectWithMaskedGroupVariable();
      const url = `/projects/${fixture.projectId}/repository/files/.gitlab-ci.yml`;
      await as()
        .put(url, { branch: 'main', content: withAud('$GROUP_SECRET'), commit_message: 'aud' })
        .expect(200);
      const refused = await as().post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(400);
      expect(refused.body).toEqual({
        message: { base: [expect.stringContaining('jobs:deploy:id_tokens:VAULT_ID_TOKEN aud refers to GROUP_SECRET')] },
      });
      // The commit itself records a failed push pipeline (GitLab's answer to invalid YAML on push); the API made none.
      expect((await as().get(`/projects/${fixture.projectId}/pipelines?source=api`).expect(200)).body).toEqual([]);
    });
  });

  describe('at mint time', () => {
    const issuances = async (jobId: number) =>
      (await api.app.get(DataSource).query('SELECT aud FROM ci_id_token_issuances WHERE build_id = $1', [jobId])) as { aud: unknown }[];

    /** A pipeline created with an innocent aud; `after` then changes the variables before a runner asks. */
    async function mintAfter(yaml: string, after: (projectId: number) => Promise<void>) {
      const fixture = await createCiFixture(api, yaml, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const [job] = (await as().get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}/jobs`).expect(200)).body;
      await after(fixture.projectId);
      const response = await requestJob(api, fixture.runnerToken);
      return { response, jobId: job.id as number };
    }

    it.each([
      [
        'a variable masked after the pipeline was created',
        async (projectId: number) => {
          const [variable] = (await as().get(`/projects/${projectId}/variables`).expect(200)).body;
          await as().put(`/projects/${projectId}/variables/${variable.key}`, { value: MASKED_VALUE, masked: true }).expect(200);
        },
      ],
      [
        'a masked value pasted into the plain variable aud uses',
        async (projectId: number) => {
          await defineVariable(`/projects/${projectId}`, 'SECRET', MASKED_VALUE, true);
          await as()
            .put(`/projects/${projectId}/variables/AUD`, { value: `https://${MASKED_VALUE}.example.com` })
            .expect(200);
        },
      ],
      [
        'the job token through a variable defined after creation',
        async (projectId: number) => {
          await as().put(`/projects/${projectId}/variables/AUD`, { value: 'x-$CI_JOB_TOKEN' }).expect(200);
        },
      ],
    ])('fails the job with id_token_audience_secret for %s, signing and auditing nothing', async (_title, after) => {
      const { response, jobId } = await mintAfter(withAud('$AUD'), async (projectId) => {
        await defineVariable(`/projects/${projectId}`, 'AUD', 'https://vault.example.com');
        await after(projectId);
      });
      expect(response.status).toBe(204);
      expect(await buildRow(api, jobId)).toMatchObject({ status: 'failed', failure_reason: 'id_token_audience_secret' });
      expect(await issuances(jobId)).toEqual([]);
    });

    it('mints a token whose aud uses a plain variable', async () => {
      const { response, jobId } = await mintAfter(withAud('$AUD'), async (projectId) => {
        await defineVariable(`/projects/${projectId}`, 'AUD', 'https://vault.example.com');
      });
      expect(response.status).toBe(201);
      expect(await issuances(jobId)).toEqual([{ aud: 'https://vault.example.com' }]);
    });
  });
});
