import { RUNNER_FAILURE_REASONS } from '@lanyard/pipelines';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PickupService } from '../src/pickup/pickup.service';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { Resources, client, resources } from './support/resources';
import { buildRow, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const ONE_JOB = `
only-job:
  script: echo hi
`;

const TIMEOUTS = `
stages: [build]
compile:
  stage: build
  script:
    - echo one
    - echo two
quick:
  stage: build
  timeout: 15 minutes
  script: echo quick
`;

const SECRETS = `
stages: [test, deploy]
secret-job:
  stage: test
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault
  secrets:
    DB:
      vault: prod/db/password@kv
      token: $VAULT_ID_TOKEN
  script: echo
plain-job:
  stage: test
  script: echo
after-job:
  stage: deploy
  script: echo
`;

const WITH_VARIABLES = `
variables:
  GLOBAL_YAML: "global"
vars-job:
  variables:
    JOB_YAML: "job"
  script: env
`;

describe(PickupService.name, () => {
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    owner = await createUser(api, 'jobs-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser) => client(api, user);
  const jobsOf = async (projectId: number, pipelineId: number): Promise<{ id: number; name: string; status: string }[]> =>
    (await as(owner).get(`/projects/${projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body;

  describe('authentication', () => {
    it('answers 403 to an unknown or paused runner and claims no job (D4)', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const [job] = await jobsOf(fixture.projectId, (await runPipeline(api, owner, fixture.projectId)).id);
      await requestJob(api, 'glrt-no-such-runner-token').expect(403);
      await requestJob(api, fixture.runnerToken.slice(0, -1)).expect(403);
      await requestJob(api, fixture.runnerToken.toUpperCase()).expect(403);
      const digest = createHash('sha256').update(fixture.runnerToken).digest('hex');
      await api.app.get(DataSource).query('UPDATE ci_runners SET active = false WHERE token_digest = $1', [digest]);
      await requestJob(api, fixture.runnerToken).expect(403);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'pending', runner_id: null, token_digest: null });
    });

    it('needs no personal access token and answers 204 with no body when nothing is pending', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const response = await requestJob(api, fixture.runnerToken).expect(204);
      expect(response.text).toBe('');
    });
  });

  describe('the job payload', () => {
    it("has GitLab's shape for a branch pipeline, with the job's timeout or else the project's build_timeout", async () => {
      const fixture = await createCiFixture(api, TIMEOUTS, { owner });
      await as(owner).put(`/projects/${fixture.projectId}`, { build_timeout: 1800 }).expect(200);
      const project = (await as(owner).get(`/projects/${fixture.projectId}`).expect(200)).body;
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const first = await takeJob(api, fixture.runnerToken);
      const second = await takeJob(api, fixture.runnerToken);
      const [compile, quick] = first.job_info.name === 'compile' ? [first, second] : [second, first];

      expect(compile).toMatchObject({
        id: compile.job_info.id,
        token: expect.stringMatching(/^glcbt-[A-Za-z0-9_-]{20,}$/),
        job_info: {
          name: 'compile',
          stage: 'build',
          pipeline_id: pipeline.id,
          project_id: fixture.projectId,
          project_name: project.name,
          project_full_path: project.path_with_namespace,
          namespace_id: project.namespace.id,
          root_namespace_id: project.namespace.id,
          user_id: owner.id,
        },
        git_info: {
          repo_url: `http://gitlab-ci-token:${compile.token}@lanyard.test/${project.path_with_namespace}.git`,
          ref: 'main',
          sha: expect.stringMatching(/^[0-9a-f]{40}$/),
          ref_type: 'branch',
          refspecs: ['+refs/heads/main:refs/remotes/origin/main'],
        },
        runner_info: { timeout: 1800 },
        steps: [{ name: 'script', script: ['echo one', 'echo two'], timeout: 1800, when: 'on_success', allow_failure: false }],
        features: { trace_sections: true, failure_reasons: [...RUNNER_FAILURE_REASONS] },
      });
      expect(compile).not.toHaveProperty('secrets');
      expect(quick).toMatchObject({ runner_info: { timeout: 900 }, steps: [{ script: ['echo quick'], timeout: 900 }] });
      expect(variableMap(quick).get('CI_JOB_TIMEOUT')?.value).toBe('900');
      expect(quick.token).not.toBe(compile.token);
    });

    it('carries tag refspecs, CI_COMMIT_TAG and protected variables for a pipeline on a protected tag', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      await as(owner).post(`/projects/${fixture.projectId}/protected_tags`, { name: 'v*' }).expect(201);
      await as(owner).post(`/projects/${fixture.projectId}/variables`, { key: 'RELEASE_KEY', value: 'r', protected: true }).expect(201);
      await as(owner).post(`/projects/${fixture.projectId}/repository/tags`, { tag_name: 'v1.2.0', ref: 'main' }).expect(201);
      const pipeline = await runPipeline(api, owner, fixture.projectId, 'v1.2.0');
      expect(pipeline).toMatchObject({ ref: 'v1.2.0', tag: true });
      const job = await takeJob(api, fixture.runnerToken);
      expect(job.git_info).toMatchObject({ ref: 'v1.2.0', ref_type: 'tag', refspecs: ['+refs/tags/v1.2.0:refs/tags/v1.2.0'] });
      const variables = variableMap(job);
      expect(variables.get('CI_COMMIT_TAG')?.value).toBe('v1.2.0');
      expect(variables.get('CI_COMMIT_REF_NAME')?.value).toBe('v1.2.0');
      expect(variables.has('CI_COMMIT_BRANCH')).toBe(false);
      expect(variables.get('CI_COMMIT_REF_PROTECTED')?.value).toBe('true');
      expect(variables.get('RELEASE_KEY')?.value).toBe('r');
    });

    it('orders variables predefined, groups (root first), project, YAML, pipeline, each in the runner shape', async () => {
      const root = await make.group(owner);
      const sub = await make.group(owner, { parent_id: root.id });
      const fixture = await createCiFixture(api, WITH_VARIABLES, { owner, groupId: sub.id });
      const define = (path: string, key: string, value: string, extra: object = {}) =>
        as(owner)
          .post(`${path}/variables`, { key, value, ...extra })
          .expect(201);
      await define(`/groups/${root.id}`, 'ROOT_ONLY', 'root');
      await define(`/groups/${root.id}`, 'NEAR', 'from-root');
      await define(`/groups/${sub.id}`, 'NEAR', 'from-sub');
      await define(`/groups/${sub.id}`, 'SUB_MASKED', 'c3ViLXNlY3JldA==', { masked: true });
      await define(`/projects/${fixture.projectId}`, 'PROJECT_VAR', 'project');
      await define(`/projects/${fixture.projectId}`, 'PROJECT_FILE', 'line1\nline2', { variable_type: 'file' });
      await as(owner).put(`/projects/${fixture.projectId}`, { ci_pipeline_variables_minimum_override_role: 'owner' }).expect(200);
      await runPipeline(api, owner, fixture.projectId, 'main', [
        { key: 'PIPELINE_VAR', value: 'run' },
        { key: 'PIPELINE_FILE', value: 'content', variable_type: 'file' },
      ]);
      const job = await takeJob(api, fixture.runnerToken);
      const keys = job.variables.map((variable) => variable.key);

      expect(keys[0]).toBe('CI_PIPELINE_ID');
      const predefined = keys.slice(0, keys.indexOf('ROOT_ONLY'));
      expect(predefined.every((key) => /^(CI|GITLAB)_|^CI$/.test(key))).toBe(true);
      expect(predefined).toEqual(
        expect.arrayContaining(['CI_JOB_ID', 'CI_JOB_TOKEN', 'CI_COMMIT_SHA', 'CI_PROJECT_ID', 'GITLAB_USER_LOGIN']),
      );
      const rest = keys.slice(predefined.length);
      expect(rest.slice(0, 5)).toEqual(['ROOT_ONLY', 'NEAR', 'SUB_MASKED', 'PROJECT_VAR', 'PROJECT_FILE']);
      // YAML variables are stored as jsonb, which keeps no key order: only their place as a block is asserted.
      expect(rest.slice(5, 7).sort()).toEqual(['GLOBAL_YAML', 'JOB_YAML']);
      expect(rest.slice(7)).toEqual(['PIPELINE_VAR', 'PIPELINE_FILE']);
      for (const variable of job.variables) {
        const expected = variable.file ? ['file', 'key', 'masked', 'public', 'value'] : ['key', 'masked', 'public', 'value'];
        expect([variable.key, Object.keys(variable).sort()]).toEqual([variable.key, expected]);
      }
      const byKey = variableMap(job);
      expect(byKey.get('CI_JOB_TOKEN')).toEqual({ key: 'CI_JOB_TOKEN', value: job.token, public: false, masked: true });
      expect(byKey.get('CI_PIPELINE_ID')).toEqual({
        key: 'CI_PIPELINE_ID',
        value: String(job.job_info.pipeline_id),
        public: true,
        masked: false,
      });
      expect(byKey.get('NEAR')).toEqual({ key: 'NEAR', value: 'from-sub', public: false, masked: false });
      expect(byKey.get('SUB_MASKED')).toEqual({ key: 'SUB_MASKED', value: 'c3ViLXNlY3JldA==', public: false, masked: true });
      expect(byKey.get('PROJECT_FILE')).toEqual({ key: 'PROJECT_FILE', value: 'line1\nline2', public: false, masked: false, file: true });
      expect(byKey.get('GLOBAL_YAML')).toEqual({ key: 'GLOBAL_YAML', value: 'global', public: true, masked: false });
      expect(byKey.get('PIPELINE_VAR')).toEqual({ key: 'PIPELINE_VAR', value: 'run', public: false, masked: false });
      expect(byKey.get('PIPELINE_FILE')).toEqual({ key: 'PIPELINE_FILE', value: 'content', public: false, masked: false, file: true });
      expect(byKey.get('CI_PROJECT_ROOT_NAMESPACE')?.value).toBe(root.path);
    });

    it('gives a protected variable only to pipelines on protected refs', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      // `main` is protected since its first commit (the default branch protection).
      await as(owner).post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'Feature/a_-b', ref: 'main' }).expect(201);
      await as(owner)
        .post(`/projects/${fixture.projectId}/variables`, { key: 'DEPLOY_KEY', value: 'ZGVwbG95LWtleQ==', protected: true, masked: true })
        .expect(201);
      await as(owner).post(`/projects/${fixture.projectId}/variables`, { key: 'EVERYWHERE', value: 'yes' }).expect(201);

      await runPipeline(api, owner, fixture.projectId, 'Feature/a_-b');
      const unprotected = variableMap(await takeJob(api, fixture.runnerToken));
      expect(unprotected.has('DEPLOY_KEY')).toBe(false);
      expect(unprotected.get('EVERYWHERE')?.value).toBe('yes');
      expect(unprotected.get('CI_COMMIT_REF_PROTECTED')?.value).toBe('false');
      // GitLab's slugify turns each character, not each run, into a dash.
      expect(unprotected.get('CI_COMMIT_REF_SLUG')?.value).toBe('feature-a--b');

      await runPipeline(api, owner, fixture.projectId, 'main');
      const onProtected = variableMap(await takeJob(api, fixture.runnerToken));
      expect(onProtected.get('DEPLOY_KEY')).toEqual({ key: 'DEPLOY_KEY', value: 'ZGVwbG95LWtleQ==', public: false, masked: true });
      expect(onProtected.get('CI_COMMIT_REF_PROTECTED')?.value).toBe('true');
    });
  });

  describe('runner scopes', () => {
    it("never gives a project runner another project's job (D3)", async () => {
      const a = await createCiFixture(api, ONE_JOB, { owner });
      const b = await createCiFixture(api, ONE_JOB, { owner });
      const [jobB] = await jobsOf(b.projectId, (await runPipeline(api, owner, b.projectId)).id);
      await requestJob(api, a.runnerToken).expect(204);
      await runPipeline(api, owner, a.projectId);
      expect((await takeJob(api, a.runnerToken)).job_info.project_id).toBe(a.projectId);
      await requestJob(api, a.runnerToken).expect(204);
      expect(await buildRow(api, jobB.id)).toMatchObject({ status: 'pending', runner_id: null });
    });

    it('gives a group runner the jobs of its group and subgroups, and nothing outside', async () => {
      const group = await make.group(owner);
      const subgroup = await make.group(owner, { parent_id: group.id });
      const sibling = await make.group(owner);
      const inGroup = await createCiFixture(api, ONE_JOB, { owner, groupId: group.id });
      const inSubgroup = await createCiFixture(api, ONE_JOB, { owner, groupId: subgroup.id });
      const outside = await createCiFixture(api, ONE_JOB, { owner, groupId: sibling.id });
      for (const fixture of [inGroup, inSubgroup, outside]) await runPipeline(api, owner, fixture.projectId);
      const groupRunner = await createRunner(api, owner, { runner_type: 'group_type', group_id: group.id });
      const subgroupRunner = await createRunner(api, owner, { runner_type: 'group_type', group_id: subgroup.id });

      expect((await takeJob(api, subgroupRunner.token)).job_info.project_id).toBe(inSubgroup.projectId);
      await requestJob(api, subgroupRunner.token).expect(204);
      const taken = await takeJob(api, groupRunner.token);
      expect(taken.job_info.project_id).toBe(inGroup.projectId);
      expect(await buildRow(api, taken.id)).toMatchObject({ status: 'running', runner_id: groupRunner.id });
      await runPipeline(api, owner, inSubgroup.projectId);
      expect((await takeJob(api, groupRunner.token)).job_info.project_id).toBe(inSubgroup.projectId);
      await requestJob(api, groupRunner.token).expect(204);
      expect((await takeJob(api, outside.runnerToken)).job_info.project_id).toBe(outside.projectId);
    });

    // Instance runners take jobs from every test file sharing the database: assert only what holds for any job.
    it('gives an instance runner some pending job and records it as the runner', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      await runPipeline(api, owner, fixture.projectId);
      const shared = await createRunner(api, api.rootToken, { runner_type: 'instance_type' });
      const job = await takeJob(api, shared.token);
      expect(await buildRow(api, job.id)).toMatchObject({ status: 'running', runner_id: shared.id });
      expect(variableMap(job).get('CI_RUNNER_ID')?.value).toBe(String(shared.id));
    });
  });

  describe('secrets', () => {
    it('fails a job whose secrets have no VAULT_SERVER_URL, hands out the next job instead, and fails the pipeline', async () => {
      const fixture = await createCiFixture(api, SECRETS, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const taken = await takeJob(api, fixture.runnerToken);
      expect(taken.job_info.name).toBe('plain-job');
      await requestJob(api, fixture.runnerToken).expect(204);

      const byName = new Map((await jobsOf(fixture.projectId, pipeline.id)).map((job) => [job.name, job]));
      const dropped = await as(owner)
        .get(`/projects/${fixture.projectId}/jobs/${byName.get('secret-job')!.id}`)
        .expect(200);
      expect(dropped.body).toMatchObject({ status: 'failed', failure_reason: 'secrets_provider_not_found', runner: null });
      expect(dropped.body.finished_at).toEqual(expect.any(String));

      await finishJob(api, taken.id, taken.token, 'success').expect(200);
      expect((await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('failed');
      expect((await jobsOf(fixture.projectId, pipeline.id)).map((job) => [job.name, job.status])).toEqual([
        ['secret-job', 'failed'],
        ['plain-job', 'success'],
        ['after-job', 'skipped'],
      ]);
    });

    it('sends the Vault server, auth path and role from CI/CD variables with the secret', async () => {
      const fixture = await createCiFixture(api, SECRETS, { owner });
      const define = (key: string, value: string) => as(owner).post(`/projects/${fixture.projectId}/variables`, { key, value }).expect(201);
      await define('VAULT_SERVER_URL', 'https://vault.example.com');
      await define('VAULT_AUTH_ROLE', 'ci-role');
      await define('VAULT_AUTH_PATH', 'jwt-lanyard');
      await runPipeline(api, owner, fixture.projectId);
      const job = await takeJob(api, fixture.runnerToken);
      expect(job.job_info.name).toBe('secret-job');
      expect(job.secrets).toEqual({
        DB: {
          vault: {
            engine: { name: 'kv-v2', path: 'kv' },
            path: 'prod/db',
            field: 'password',
            server: {
              url: 'https://vault.example.com',
              auth: { name: 'jwt', path: 'jwt-lanyard', data: { jwt: '$VAULT_ID_TOKEN', role: 'ci-role' } },
            },
          },
          file: true,
        },
      });
    });
  });
});
