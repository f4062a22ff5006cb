import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { PickupService } from '../src/pickup/pickup.service';
import { IdTokenService } from '../src/id-tokens/id-token.service';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { buildRow, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const SECRET_WITH_TOKEN = `
secret-job:
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.example.com
  secrets:
    DB:
      vault: prod/db/password@kv
      token: $VAULT_ID_TOKEN
  script: echo
`;

const TOKEN_ONLY = `
deploy:
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
  script: echo
`;

const LONG_JOB = `
deploy:
  timeout: 1 hour
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
  script: echo
`;

/** Every reason to drop a job at pickup is decided before anything is signed, and only delivered tokens are audited. */
describe(`${PickupService.name} pickup decisions`, () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'pickup-owner');
  });

  afterAll(() => api.close());

  afterEach(() => jest.restoreAllMocks());

  const issuanceCount = async (buildId: number): Promise<number> =>
    Number((await api.app.get(DataSource).query('SELECT count(*) AS n FROM ci_id_token_issuances WHERE build_id = $1', [buildId]))[0].n);

  /** One pipeline of `yaml` run by `by` (else `owner`); the id of its only job. */
  async function pendingJob(yaml: string, by: TestUser = owner): Promise<{ projectId: number; runnerToken: string; jobId: number }> {
    const fixture = await createCiFixture(api, yaml, { owner: by });
    const pipeline = await runPipeline(api, by, fixture.projectId);
    const [job] = (await client(api, by).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}/jobs`).expect(200)).body;
    return { projectId: fixture.projectId, runnerToken: fixture.runnerToken, jobId: job.id };
  }

  describe('the audit tells the truth', () => {
    it('signs nothing and audits nothing for a job dropped for secrets_provider_not_found (no VAULT_SERVER_URL)', async () => {
      const { runnerToken, jobId } = await pendingJob(SECRET_WITH_TOKEN);
      const signer = jest.spyOn(api.app.get(IdTokenService), 'sign');
      await requestJob(api, runnerToken).expect(204);
      expect(await buildRow(api, jobId)).toMatchObject({ status: 'failed', failure_reason: 'secrets_provider_not_found', runner_id: null });
      expect(await issuanceCount(jobId)).toBe(0);
      expect(signer).not.toHaveBeenCalled();
    });

    it('audits the tokens of a job that is delivered', async () => {
      const { projectId, runnerToken, jobId } = await pendingJob(SECRET_WITH_TOKEN);
      await client(api, owner)
        .post(`/projects/${projectId}/variables`, { key: 'VAULT_SERVER_URL', value: 'https://vault.example.com' })
        .expect(201);
      await requestJob(api, runnerToken).expect(201);
      expect(await issuanceCount(jobId)).toBe(1);
    });
  });

  describe('blocked users', () => {
    // GitLab's pre-assign check `user_blocked: build.user&.blocked?`: no token is minted in a blocked user's name.
    it('drops a pending job whose user was blocked while it waited, with user_blocked and no token', async () => {
      const user = await createUser(api, 'to-block');
      const { runnerToken, jobId } = await pendingJob(TOKEN_ONLY, user);
      await api.app.get(DataSource).query(`UPDATE users SET state = 'blocked' WHERE id = $1`, [user.id]);
      const signer = jest.spyOn(api.app.get(IdTokenService), 'sign');
      await requestJob(api, runnerToken).expect(204);
      expect(await buildRow(api, jobId)).toMatchObject({ status: 'failed', failure_reason: 'user_blocked', runner_id: null });
      expect(await issuanceCount(jobId)).toBe(0);
      expect(signer).not.toHaveBeenCalled();
    });
  });

  describe('the job timeout, decided at pickup', () => {
    const lifetime = (jwt: string) => {
      const { iat, exp } = decodeJwt(jwt);
      return exp! - iat!;
    };
    const jobTimeout = async (projectId: number, jobId: number) =>
      (await client(api, owner).get(`/projects/${projectId}/jobs/${jobId}`).expect(200)).body.timeout;

    // GitLab's RegisterJobService spec: `exp - iat == 3699` when the project's build_timeout is 3699.
    it("follows the project's build_timeout as changed after the pipeline was created", async () => {
      const { projectId, runnerToken, jobId } = await pendingJob(TOKEN_ONLY);
      await client(api, owner).put(`/projects/${projectId}`, { build_timeout: 3699 }).expect(200);
      const job = await takeJob(api, runnerToken);
      expect(lifetime(variableMap(job).get('AWS_TOKEN')!.value)).toBe(3699);
      expect(job).toMatchObject({ runner_info: { timeout: 3699 }, steps: [{ timeout: 3699 }] });
      expect(variableMap(job).get('CI_JOB_TIMEOUT')?.value).toBe('3699');
      expect(await jobTimeout(projectId, jobId)).toBe(3699);
    });

    it("caps a job's 1 hour timeout at its runner's maximum_timeout of 900 seconds", async () => {
      const { projectId, jobId } = await pendingJob(LONG_JOB);
      const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: projectId }, { maximum_timeout: 900 });
      const job = await takeJob(api, runner.token);
      expect(job.id).toBe(jobId);
      expect(lifetime(variableMap(job).get('AWS_TOKEN')!.value)).toBe(900);
      expect(job).toMatchObject({ runner_info: { timeout: 900 }, steps: [{ timeout: 900 }] });
      expect(await jobTimeout(projectId, jobId)).toBe(900);
    });

    it("keeps the job's own timeout over the project's, under a runner maximum above it", async () => {
      const { projectId, jobId } = await pendingJob(LONG_JOB);
      await client(api, owner).put(`/projects/${projectId}`, { build_timeout: 600 }).expect(200);
      const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: projectId }, { maximum_timeout: 7200 });
      const job = await takeJob(api, runner.token);
      expect(lifetime(variableMap(job).get('AWS_TOKEN')!.value)).toBe(3600);
      expect(await jobTimeout(projectId, jobId)).toBe(3600);
    });
  });

  describe('aud after the job variables are expanded among themselves', () => {
    const audOf = (job: Awaited<ReturnType<typeof takeJob>>) => decodeJwt(variableMap(job).get('VAULT_ID_TOKEN')!.value).aud;

    // GitLab's `expanded_id_token_aud`: ExpandVariables.expand(aud, scoped_variables.sort_and_expand_all).
    it('expands a variable that refers to a predefined one, as GitLab does', async () => {
      const { projectId, runnerToken } = await pendingJob(`
variables:
  VAULT_AUD: https://vault.\${CI_SERVER_HOST}
deploy:
  variables:
    REGION_AUD: sts.$REGION.amazonaws.com
  id_tokens:
    VAULT_ID_TOKEN:
      aud: [$VAULT_AUD, $REGION_AUD]
  script: echo
`);
      await client(api, owner).post(`/projects/${projectId}/variables`, { key: 'REGION', value: 'eu-west-1' }).expect(201);
      const job = await takeJob(api, runnerToken);
      expect(audOf(job)).toEqual(['https://vault.lanyard.test', 'sts.eu-west-1.amazonaws.com']);
      // The runner still receives the variables as written; it expands them itself.
      expect(variableMap(job).get('VAULT_AUD')?.value).toBe('https://vault.${CI_SERVER_HOST}');
    });

    it('leaves a raw variable unexpanded in aud', async () => {
      const { projectId, runnerToken } = await pendingJob(
        'deploy:\n  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: $RAW_AUD\n  script: echo\n',
      );
      await client(api, owner)
        .post(`/projects/${projectId}/variables`, { key: 'RAW_AUD', value: 'https://$CI_SERVER_HOST', raw: true })
        .expect(201);
      expect(audOf(await takeJob(api, runnerToken))).toBe('https://$CI_SERVER_HOST');
    });

    // GitLab: a cycle leaves the collection unexpanded (`Collection#sort_and_expand_all` returns it with its errors).
    it('neither hangs nor fails on a circular reference, and expands aud once against the unexpanded variables', async () => {
      const { runnerToken } = await pendingJob(
        'variables:\n  A: a-$B\n  B: b-$A\ndeploy:\n  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: x-$A\n  script: echo\n',
      );
      expect(audOf(await takeJob(api, runnerToken))).toBe('x-a-$B');
    });
  });
});
