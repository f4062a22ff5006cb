import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { CiFixture, createCiFixture } from './support/ci-fixtures';
import { JobPayload, runPipeline, takeJob, variableMap } from './support/runner-fixtures';

const CONFIG = `
stages: [review, deploy, broken]
variables:
  REGION: eu
review:
  stage: review
  script: ./review
  environment:
    name: review/$CI_COMMIT_REF_SLUG
  id_tokens:
    TOKEN:
      aud: https://vault.example
regional:
  stage: deploy
  script: ./deploy
  variables:
    TIER_NAME: prod
  environment: \${TIER_NAME}-\${REGION}/$TARGET
broken:
  stage: broken
  script: ./deploy
  environment: $UNDEFINED/x
`;

const claimsOf = (payload: JobPayload) => {
  const token = variableMap(payload).get('TOKEN')!.value;
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
};

/** GitLab expands `environment:name` when the job is created (`Ci::Build#expanded_environment_name`, `ExpandVariables.expand`). */
describe('Environment names are expanded when the job is created', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let base: string;

  const environmentNames = async () =>
    ((await client(api, fixture.maintainer).get(`${base}/environments`).expect(200)).body as { name: string }[]).map((e) => e.name).sort();
  const jobsOf = async (pipelineId: number) =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}/jobs`).expect(200)).body as {
      name: string;
      status: string;
      failure_reason?: string;
    }[];

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, CONFIG);
    base = `/projects/${fixture.projectId}`;
    developer = await createUser(api, 'dev');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    const as = client(api, fixture.maintainer);
    await as.post(`${base}/repository/branches`, { branch: 'Feature/X', ref: 'main' }).expect(201);
    await as.post(`${base}/repository/branches`, { branch: 'hotfix', ref: 'main' }).expect(201);
    await as
      .put(base, {
        ci_id_token_sub_claim_components: ['project_path', 'environment'],
        ci_pipeline_variables_minimum_override_role: 'maintainer',
      })
      .expect(200);
  });

  afterAll(() => api.close());

  it('creates the expanded environment, and the job’s variables and claims carry it', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, 'Feature/X', [{ key: 'TARGET', value: 'blue' }]);
    expect(await environmentNames()).toEqual(['prod-eu/blue', 'review/feature-x']);
    const payload = await takeJob(api, fixture.runnerToken);
    expect(payload.job_info).toMatchObject({ name: 'review', pipeline_id: pipeline.id });
    const variables = variableMap(payload);
    expect(variables.get('CI_ENVIRONMENT_NAME')?.value).toBe('review/feature-x');
    expect(variables.get('CI_ENVIRONMENT_SLUG')?.value).toMatch(/^review-feature-x-[a-z0-9]{6}$/);
    expect(variables.get('CI_ENVIRONMENT_TIER')?.value).toBe('development');
    const claims = claimsOf(payload);
    expect(claims).toMatchObject({ environment: 'review/feature-x', environment_protected: 'false', deployment_tier: 'development' });
    expect(claims.sub).toMatch(/:environment:review\/feature-x$/);
  });

  it('looks protection up under the expanded name', async () => {
    await client(api, fixture.maintainer)
      .post(`${base}/protected_environments`, { name: 'review/hotfix', deploy_access_levels: [{ access_level: 40 }] })
      .expect(201);
    const pipeline = await runPipeline(api, developer, fixture.projectId, 'hotfix');
    expect((await jobsOf(pipeline.id)).find((job) => job.name === 'review')).toMatchObject({
      status: 'failed',
      failure_reason: 'protected_environment_failure',
    });
    expect(await environmentNames()).toContain('review/hotfix');
    expect(await environmentNames()).not.toContain('review/$CI_COMMIT_REF_SLUG');
  });

  it('fails a job whose name expands to an invalid one with environment_creation_failure, and creates no environment for it', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, 'main');
    expect((await jobsOf(pipeline.id)).find((job) => job.name === 'broken')).toMatchObject({
      status: 'failed',
      failure_reason: 'environment_creation_failure',
    });
    const names = await environmentNames();
    expect(names).not.toContain('/x');
    expect(names).not.toContain('$UNDEFINED/x');
    expect(names).toContain('review/main');
  });
});
