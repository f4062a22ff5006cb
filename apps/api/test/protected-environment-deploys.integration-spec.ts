import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { CiFixture, createCiFixture, requestJob } from './support/ci-fixtures';
import { buildRow, runPipeline, takeJob } from './support/runner-fixtures';

const DEPLOY = `
deploy:
  script: ./deploy
  environment: production
  id_tokens:
    AWS_TOKEN:
      aud: https://sts.amazonaws.com
`;

/** GitLab's `EE::Ci::ProcessBuildService#enqueue` drops a job whose user may not deploy to its protected environment. */
describe('Protected environments: only users allowed to deploy get a job, and a token', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let base: string;
  const db = () => api.app.get(DataSource);
  const jobsOf = async (pipelineId: number) =>
    (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}/jobs`).expect(200)).body;
  const issuancesOf = async (buildId: number) =>
    (await db().query('SELECT sub FROM ci_id_token_issuances WHERE build_id = $1', [buildId])) as { sub: string }[];
  const projectIssuances = () =>
    db().query('SELECT count(*)::int AS n FROM ci_id_token_issuances WHERE project_id = $1', [fixture.projectId]);

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, DEPLOY);
    base = `/projects/${fixture.projectId}`;
    developer = await createUser(api, 'dev');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    const as = client(api, fixture.maintainer);
    await as.post(`${base}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await as.put(base, { ci_id_token_sub_claim_components: ['project_path', 'environment', 'environment_protected'] }).expect(200);
    await as.post(`${base}/protected_environments`, { name: 'production', deploy_access_levels: [{ access_level: 40 }] }).expect(201);
  });

  afterAll(() => api.close());

  it('creates a developer’s deploy to a maintainer-only environment failed, and never mints its sub', async () => {
    const issuedBefore = await projectIssuances();
    const pipeline = await runPipeline(api, developer, fixture.projectId, 'feature');
    const [job] = await jobsOf(pipeline.id);
    expect(job).toMatchObject({ name: 'deploy', status: 'failed', failure_reason: 'protected_environment_failure' });
    expect((await client(api, fixture.maintainer).get(`${base}/pipelines/${pipeline.id}`).expect(200)).body.status).toBe('failed');
    // Issue 18 item 17: a job dropped for its configuration is logged at warn, naming the job and the reason.
    const dropped = readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"job dropped'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.jobId === job.id);
    expect(dropped).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'PipelineProgress',
        msg: 'job dropped when queued',
        failureReason: 'protected_environment_failure',
        environment: 'production',
      }),
    ]);
    await requestJob(api, fixture.runnerToken).expect(204);
    expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed', runner_id: null, token_digest: null });
    expect(await issuancesOf(job.id)).toEqual([]);
    expect(await projectIssuances()).toEqual(issuedBefore);
  });

  it('lets a maintainer deploy, with environment_protected "true" in the sub', async () => {
    const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId, 'feature');
    const taken = await takeJob(api, fixture.runnerToken);
    expect(taken.job_info.pipeline_id).toBe(pipeline.id);
    const [issued] = await issuancesOf(taken.id);
    expect(issued.sub).toMatch(/:environment:production:environment_protected:true$/);
  });

  it('checks again at pickup: a user demoted while the job waits gets no job and no token', async () => {
    const deployer = await createUser(api, 'deployer');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, deployer, 40);
    const pipeline = await runPipeline(api, deployer, fixture.projectId, 'feature');
    const [job] = await jobsOf(pipeline.id);
    expect(job.status).toBe('pending');
    await client(api, fixture.maintainer).put(`${base}/members/${deployer.id}`, { access_level: 30 }).expect(200);

    await requestJob(api, fixture.runnerToken).expect(204);
    expect(await buildRow(api, job.id)).toEqual({
      status: 'failed',
      runner_id: null,
      token_digest: null,
      failure_reason: 'protected_environment_failure',
    });
    expect(await issuancesOf(job.id)).toEqual([]);
  });

  it('fails a later-stage deploy when its stage is queued, after the earlier stage ran (GitLab checks on enqueue)', async () => {
    const staged = await createCiFixture(
      api,
      `stages: [build, deploy]\nbuild:\n  stage: build\n  script: make\n${DEPLOY.replace('deploy:\n', 'deploy:\n  stage: deploy\n')}`,
      {
        owner: fixture.maintainer,
      },
    );
    const stagedBase = `/projects/${staged.projectId}`;
    await resources(api).addMember(fixture.maintainer, `projects/${staged.projectId}`, developer, 30);
    await client(api, fixture.maintainer).post(`${stagedBase}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await client(api, fixture.maintainer)
      .post(`${stagedBase}/protected_environments`, { name: 'production', deploy_access_levels: [{ access_level: 40 }] })
      .expect(201);
    const pipeline = await runPipeline(api, developer, staged.projectId, 'feature');
    const jobs = async () =>
      (await client(api, fixture.maintainer).get(`${stagedBase}/pipelines/${pipeline.id}/jobs`).expect(200)).body as {
        name: string;
        status: string;
        failure_reason?: string;
      }[];
    expect((await jobs()).map((job) => [job.name, job.status])).toEqual([
      ['build', 'pending'],
      ['deploy', 'created'],
    ]);
    const build = await takeJob(api, staged.runnerToken);
    await api.http.put(`/api/v4/jobs/${build.id}`).send({ token: build.token, state: 'success' }).expect(200);
    expect((await jobs()).find((job) => job.name === 'deploy')).toMatchObject({
      status: 'failed',
      failure_reason: 'protected_environment_failure',
    });
    await requestJob(api, staged.runnerToken).expect(204);
  });

  it('queues the refused deploy’s stage siblings and skips the later stages, as GitLab', async () => {
    const yaml = `stages: [ship, after]\ncompile:\n  stage: ship\n  script: make\n${DEPLOY.replace('deploy:\n', 'deploy:\n  stage: ship\n')}notify:\n  stage: after\n  script: ./notify\n`;
    const sibling = await createCiFixture(api, yaml, { owner: fixture.maintainer });
    await resources(api).addMember(fixture.maintainer, `projects/${sibling.projectId}`, developer, 30);
    await client(api, fixture.maintainer)
      .post(`/projects/${sibling.projectId}/repository/branches`, { branch: 'feature', ref: 'main' })
      .expect(201);
    await client(api, fixture.maintainer)
      .post(`/projects/${sibling.projectId}/protected_environments`, { name: 'production', deploy_access_levels: [{ access_level: 40 }] })
      .expect(201);
    const pipeline = await runPipeline(api, developer, sibling.projectId, 'feature');
    const jobs = (await client(api, fixture.maintainer).get(`/projects/${sibling.projectId}/pipelines/${pipeline.id}/jobs`).expect(200))
      .body;
    expect(jobs.map((job: { name: string; status: string }) => [job.name, job.status])).toEqual([
      ['compile', 'pending'],
      ['deploy', 'failed'],
      ['notify', 'skipped'],
    ]);
    expect(pipeline.status).toBe('running');
    expect((await takeJob(api, sibling.runnerToken)).job_info.name).toBe('compile');
  });

  describe('deploy_access_levels: roles, users and groups, every entry kept', () => {
    let deployBase: string;
    let project: CiFixture;

    beforeAll(async () => {
      project = await createCiFixture(api, DEPLOY.replace('production', 'staging'), { owner: fixture.maintainer });
      deployBase = `/projects/${project.projectId}`;
      await resources(api).addMember(fixture.maintainer, `projects/${project.projectId}`, developer, 30);
      await client(api, fixture.maintainer).post(`${deployBase}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    });

    const protect = (body: object) => client(api, fixture.maintainer).post(`${deployBase}/protected_environments`, body);
    const unprotect = () => client(api, fixture.maintainer).delete(`${deployBase}/protected_environments/staging`).expect(204);
    const deployAs = async (who: TestUser) => {
      const pipeline = await runPipeline(api, who, project.projectId, 'feature');
      return (await client(api, fixture.maintainer).get(`${deployBase}/pipelines/${pipeline.id}/jobs`).expect(200)).body[0];
    };

    it('stores and shows every entry in GitLab’s shape, with the user’s and group’s names', async () => {
      const group = await resources(api).group(fixture.maintainer);
      const created = await protect({
        name: 'staging',
        deploy_access_levels: [
          { access_level: 40 },
          { user_id: developer.id },
          { group_id: group.id, group_inheritance_type: 1 },
          { access_level: 20 },
        ],
      }).expect(201);
      const expected = {
        name: 'staging',
        deploy_access_levels: [
          {
            id: expect.any(Number),
            access_level: 40,
            access_level_description: 'Maintainers',
            user_id: null,
            group_id: null,
            group_inheritance_type: 0,
          },
          {
            id: expect.any(Number),
            access_level: null,
            access_level_description: developer.username,
            user_id: developer.id,
            group_id: null,
            group_inheritance_type: 0,
          },
          {
            id: expect.any(Number),
            access_level: null,
            access_level_description: group.path,
            user_id: null,
            group_id: group.id,
            group_inheritance_type: 1,
          },
          {
            id: expect.any(Number),
            access_level: 20,
            access_level_description: null,
            user_id: null,
            group_id: null,
            group_inheritance_type: 0,
          },
        ],
        required_approval_count: 0,
        approval_rules: [],
      };
      expect(created.body).toEqual(expected);
      expect((await client(api, fixture.maintainer).get(`${deployBase}/protected_environments/staging`).expect(200)).body).toEqual(
        expected,
      );
      expect((await client(api, fixture.maintainer).get(`${deployBase}/protected_environments`).expect(200)).body).toEqual([expected]);
      await unprotect();
    });

    it('lets the developer a user entry names deploy, and no other developer', async () => {
      const other = await createUser(api, 'other-dev');
      await resources(api).addMember(fixture.maintainer, `projects/${project.projectId}`, other, 30);
      await protect({ name: 'staging', deploy_access_levels: [{ access_level: 40 }, { user_id: developer.id }] }).expect(201);
      expect((await deployAs(developer)).status).toBe('pending');
      expect(await deployAs(other)).toMatchObject({ status: 'failed', failure_reason: 'protected_environment_failure' });
      await takeJob(api, project.runnerToken);
      await unprotect();
    });

    it('admits direct members of a group entry, and members of its parent only when it inherits', async () => {
      const parent = await resources(api).group(fixture.maintainer);
      const child = await resources(api).group(fixture.maintainer, { parent_id: parent.id });
      const parentMember = await createUser(api, 'parent-dev');
      await resources(api).addMember(fixture.maintainer, `groups/${parent.id}`, parentMember, 10);
      await resources(api).addMember(fixture.maintainer, `projects/${project.projectId}`, parentMember, 30);
      await resources(api).addMember(fixture.maintainer, `groups/${child.id}`, developer, 10);

      await protect({ name: 'staging', deploy_access_levels: [{ group_id: child.id }] }).expect(201);
      expect((await deployAs(developer)).status).toBe('pending');
      expect(await deployAs(parentMember)).toMatchObject({ status: 'failed', failure_reason: 'protected_environment_failure' });
      await takeJob(api, project.runnerToken);
      await unprotect();

      await protect({ name: 'staging', deploy_access_levels: [{ group_id: child.id, group_inheritance_type: 1 }] }).expect(201);
      expect((await deployAs(parentMember)).status).toBe('pending');
      await takeJob(api, project.runnerToken);
      await unprotect();
    });

    it('lets an admin deploy to an admin-only environment, and nobody else', async () => {
      await protect({ name: 'staging', deploy_access_levels: [{ access_level: 60 }] }).expect(201);
      expect(await deployAs(fixture.maintainer)).toMatchObject({ status: 'failed', failure_reason: 'protected_environment_failure' });
      const root = { id: 1, username: 'root', token: api.rootToken };
      expect((await deployAs(root)).status).toBe('pending');
      await takeJob(api, project.runnerToken);
      await unprotect();
    });

    it('refuses an entry naming nothing, or a user or group that does not exist', async () => {
      const refused = await protect({ name: 'staging', deploy_access_levels: [{}] }).expect(400);
      expect(refused.body).toEqual({
        message: { 'deploy_access_levels.0.access_level': ['One of the Group ID, User ID or Access Level must be specified.'] },
      });
      expect((await protect({ name: 'staging', deploy_access_levels: [{ user_id: 999999999 }] }).expect(400)).body).toEqual({
        message: { 'deploy_access_levels.user': ["can't be blank"] },
      });
      expect((await protect({ name: 'staging', deploy_access_levels: [{ group_id: 999999999 }] }).expect(400)).body).toEqual({
        message: { 'deploy_access_levels.group': ["can't be blank"] },
      });
      // A private group the maintainer cannot see is as unknown: its existence and name are not theirs to learn.
      const hidden = await resources(api).group(await createUser(api, 'stranger'), { visibility: 'private' });
      expect((await protect({ name: 'staging', deploy_access_levels: [{ group_id: hidden.id }] }).expect(400)).body).toEqual({
        message: { 'deploy_access_levels.group': ["can't be blank"] },
      });
      await protect({ name: 'staging', deploy_access_levels: [{ group_id: 1, group_inheritance_type: 2 }] }).expect(400);
      await client(api, fixture.maintainer).get(`${deployBase}/protected_environments/staging`).expect(404);
    });
  });
});
