import { DataSource } from 'typeorm';
import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';
import { CiFixture, commitCiConfig, createCiFixture, finishJob, requestJob } from './support/ci-fixtures';

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const TWO_STAGES = `
stages: [build, deploy]
variables:
  GLOBAL: "g"
build-job:
  stage: build
  script: make
deploy-job:
  stage: deploy
  script: [make deploy]
  environment:
    name: production
`;

// Jobs written out of stage order, with every keyword ci_builds_metadata keeps.
const FULL_CONFIG = `
stages: [build, test, deploy]
default:
  id_tokens:
    DEFAULT_TOKEN:
      aud: https://default.example
  timeout: 30m
deploy:
  stage: deploy
  script: ./deploy
  timeout: 1h 30m
  id_tokens:
    AWS_TOKEN:
      aud: [sts.amazonaws.com, https://aws.example]
    VAULT_TOKEN:
      aud: https://vault.example
  secrets:
    DB_PASSWORD:
      vault: production/db/password@ops
      token: $VAULT_TOKEN
    API_KEY:
      vault: { engine: { name: kv-v1, path: kv }, path: app/api, field: key }
      file: false
  jwt_claims:
    team: payments
    https://example.com/groups: [a, b]
  environment:
    name: production
unit:
  stage: test
  script: [npm ci, npm test]
  inherit:
    default: false
compile:
  stage: build
  script: make
lint:
  stage: .pre
  script: lint
`;

describe('Pipelines API: creation and progress', () => {
  let api: TestApp;
  const db = () => api.app.get(DataSource);

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const create = (fixture: CiFixture, body: object = { ref: 'main' }) =>
    client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, body);

  it('creates a pipeline in GitLab’s shape and shows it the same way', async () => {
    const fixture = await createCiFixture(api, TWO_STAGES);
    const as = client(api, fixture.maintainer);
    const project = (await as.get(`/projects/${fixture.projectId}`).expect(200)).body;
    const head = (await as.get(`/projects/${fixture.projectId}/repository/branches/main`).expect(200)).body.commit.id;

    const created = await create(fixture).expect(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      // The fixture's `[skip ci]` commit stored the project's first pipeline.
      iid: 2,
      project_id: fixture.projectId,
      sha: head,
      ref: 'main',
      status: 'pending',
      source: 'api',
      name: null,
      created_at: expect.stringMatching(ISO_DATE),
      updated_at: expect.stringMatching(ISO_DATE),
      web_url: `http://lanyard.test/${project.path_with_namespace}/-/pipelines/${created.body.id}`,
      before_sha: '0'.repeat(40),
      tag: false,
      yaml_errors: null,
      user: expect.objectContaining({ id: fixture.maintainer.id, username: fixture.maintainer.username }),
      started_at: null,
      finished_at: null,
      committed_at: null,
      duration: null,
      queued_duration: null,
      coverage: null,
      detailed_status: { group: 'pending', text: 'pending', label: 'pending' },
    });
    const shown = await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}`).expect(200);
    expect(shown.body).toEqual(created.body);
  });

  it('stores one build per job, in stage order, with exactly the metadata the YAML defines', async () => {
    const fixture = await createCiFixture(api, FULL_CONFIG);
    const created = await create(fixture).expect(201);
    const builds = await db().query(
      `SELECT b.name, b.stage, b.stage_idx, b.status, b.timeout, b.protected, m.script, m.id_tokens, m.secrets, m.jwt_claims, m.environment
         FROM ci_builds b JOIN ci_builds_metadata m ON m.build_id = b.id WHERE b.pipeline_id = $1 ORDER BY b.id`,
      [created.body.id],
    );
    const defaultTokens = { DEFAULT_TOKEN: { aud: 'https://default.example' } };
    // The pipeline runs on main, protected since its first commit: every build is protected.
    const plain = { secrets: {}, jwt_claims: null, environment: null, protected: true };
    expect(builds).toEqual([
      {
        name: 'deploy',
        stage: 'deploy',
        stage_idx: 3,
        status: 'created',
        timeout: 5400,
        protected: true,
        script: ['./deploy'],
        id_tokens: { AWS_TOKEN: { aud: ['sts.amazonaws.com', 'https://aws.example'] }, VAULT_TOKEN: { aud: 'https://vault.example' } },
        secrets: {
          DB_PASSWORD: {
            vault: { engine: { name: 'kv-v2', path: 'ops' }, path: 'production/db', field: 'password' },
            token: 'VAULT_TOKEN',
            file: true,
          },
          API_KEY: { vault: { engine: { name: 'kv-v1', path: 'kv' }, path: 'app/api', field: 'key' }, token: 'AWS_TOKEN', file: false },
        },
        jwt_claims: { team: 'payments', 'https://example.com/groups': ['a', 'b'] },
        environment: { name: 'production', action: 'start' },
      },
      {
        ...plain,
        name: 'unit',
        stage: 'test',
        stage_idx: 2,
        status: 'created',
        timeout: 3600,
        script: ['npm ci', 'npm test'],
        id_tokens: {},
      },
      {
        ...plain,
        name: 'compile',
        stage: 'build',
        stage_idx: 1,
        status: 'created',
        timeout: 1800,
        script: ['make'],
        id_tokens: defaultTokens,
      },
      { ...plain, name: 'lint', stage: '.pre', stage_idx: 0, status: 'pending', timeout: 1800, script: ['lint'], id_tokens: defaultTokens },
    ]);
  });

  it("takes a job's timeout from its timeout:, else from the project's build_timeout when the pipeline was created", async () => {
    const fixture = await createCiFixture(api, 'own:\n  script: x\n  timeout: 2h\ninherited:\n  script: y\n');
    const as = client(api, fixture.maintainer);
    await as.put(`/projects/${fixture.projectId}`, { build_timeout: 900 }).expect(200);
    const first = await create(fixture).expect(201);
    await as.put(`/projects/${fixture.projectId}`, { build_timeout: 7200 }).expect(200);
    const second = await create(fixture).expect(201);

    const timeouts = async (pipelineId: number) => {
      const jobs = (await as.get(`/projects/${fixture.projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body;
      const shown = await Promise.all(
        jobs.map((job: { id: number }) => as.get(`/projects/${fixture.projectId}/jobs/${job.id}`).expect(200)),
      );
      return shown.map(({ body }) => [body.name, body.timeout]);
    };
    expect(await timeouts(first.body.id)).toEqual([
      ['own', 7200],
      ['inherited', 900],
    ]);
    expect(await timeouts(second.body.id)).toEqual([
      ['own', 7200],
      ['inherited', 7200],
    ]);
  });

  it('runs a pipeline for a tag as a tag pipeline', async () => {
    const fixture = await createCiFixture(api, 'release:\n  script: publish\n');
    const as = client(api, fixture.maintainer);
    await as.post(`/projects/${fixture.projectId}/repository/tags`, { tag_name: 'v1.0.0', ref: 'main' }).expect(201);
    const created = await create(fixture, { ref: 'v1.0.0' }).expect(201);
    expect(created.body).toMatchObject({ ref: 'v1.0.0', tag: true, status: 'pending' });
    const qualified = await create(fixture, { ref: 'refs/tags/v1.0.0' }).expect(201);
    expect(qualified.body).toMatchObject({ ref: 'v1.0.0', tag: true });

    // An unqualified name that is both a branch and a tag is the branch, as in GitLab.
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'v1.0.0', ref: 'main' }).expect(201);
    expect((await create(fixture, { ref: 'v1.0.0' }).expect(201)).body.tag).toBe(false);
    const jobs = await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}/jobs`).expect(200);
    expect(jobs.body).toEqual([expect.objectContaining({ name: 'release', ref: 'v1.0.0', tag: true, status: 'pending' })]);
  });

  it("creates the jobs' environments with the tier guessed from the name, or the job's deployment_tier", async () => {
    const fixture = await createCiFixture(
      api,
      `
prod:
  script: x
  environment: production
review:
  script: x
  environment: { name: review/feature-1 }
sandbox:
  script: x
  environment: { name: sandbox, deployment_tier: staging }
live:
  script: x
  environment: { name: eu-live, deployment_tier: other, action: prepare }
`,
    );
    await create(fixture).expect(201);
    const environments = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/environments`).expect(200);
    expect(environments.body.map((e: { name: string; tier: string }) => [e.name, e.tier])).toEqual([
      ['production', 'production'],
      ['review/feature-1', 'development'],
      ['sandbox', 'staging'],
      ['eu-live', 'other'],
    ]);

    // An existing environment keeps its tier when a later pipeline's job names another.
    await commitCiConfig(
      api,
      fixture.maintainer,
      fixture.projectId,
      'prod:\n  script: x\n  environment: { name: production, deployment_tier: testing }\n',
      'main',
    );
    await create(fixture).expect(201);
    const again = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/environments?name=production`).expect(200);
    expect(again.body).toEqual([expect.objectContaining({ name: 'production', tier: 'production' })]);
  });

  it('runs stages in order from creation to success', async () => {
    const fixture = await createCiFixture(api, TWO_STAGES);
    const as = client(api, fixture.maintainer);
    const created = await create(fixture).expect(201);

    const jobs = await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}/jobs`).expect(200);
    expect(jobs.body.map((j: { name: string; status: string }) => [j.name, j.status])).toEqual([
      ['build-job', 'pending'],
      ['deploy-job', 'created'],
    ]);

    const first = await requestJob(api, fixture.runnerToken).expect(201);
    expect(first.body.job_info).toMatchObject({ name: 'build-job', stage: 'build', project_id: fixture.projectId });
    const contactedAt = async () =>
      (
        (await api.app
          .get(DataSource)
          .query('SELECT contacted_at FROM ci_runners WHERE id = (SELECT runner_id FROM ci_builds WHERE id = $1)', [first.body.id])) as {
          contacted_at: Date;
        }[]
      )[0].contacted_at;
    const firstContact = await contactedAt();
    expect(firstContact).toBeInstanceOf(Date);
    await requestJob(api, fixture.runnerToken).expect(204);
    // Recorded at most once a minute, not on every poll.
    expect(await contactedAt()).toEqual(firstContact);
    const running = await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}`).expect(200);
    expect(running.body).toMatchObject({ status: 'running', started_at: expect.stringMatching(ISO_DATE), finished_at: null });
    await finishJob(api, first.body.id, first.body.token, 'success').expect(200);

    const second = await requestJob(api, fixture.runnerToken).expect(201);
    expect(second.body.job_info.name).toBe('deploy-job');
    const env = new Map(second.body.variables.map((v: { key: string; value: string }) => [v.key, v.value]));
    expect(env.get('CI_ENVIRONMENT_NAME')).toBe('production');
    expect(env.get('CI_ENVIRONMENT_TIER')).toBe('production');
    expect(env.get('GLOBAL')).toBe('g');
    await finishJob(api, second.body.id, second.body.token, 'success').expect(200);

    const done = await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}`).expect(200);
    expect(done.body).toMatchObject({ status: 'success', finished_at: expect.stringMatching(ISO_DATE), duration: expect.any(Number) });
  });

  it('fails the pipeline when a job of the first stage fails, and skips the later stages', async () => {
    const fixture = await createCiFixture(
      api,
      'stages: [build, test, deploy]\na:\n  stage: build\n  script: x\nb:\n  stage: build\n  script: x\nt:\n  stage: test\n  script: x\nd:\n  stage: deploy\n  script: x\n',
    );
    const as = client(api, fixture.maintainer);
    const created = await create(fixture).expect(201);
    const statuses = async () => {
      const pipeline = (await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}`).expect(200)).body;
      const jobs = (await as.get(`/projects/${fixture.projectId}/pipelines/${created.body.id}/jobs`).expect(200)).body;
      return [pipeline.status, ...jobs.map((job: { name: string; status: string }) => `${job.name}:${job.status}`)];
    };

    const a = await requestJob(api, fixture.runnerToken).expect(201);
    const b = await requestJob(api, fixture.runnerToken).expect(201);
    await finishJob(api, a.body.id, a.body.token, 'failed', 'script_failure').expect(200);
    // The other job of the stage is still running: the pipeline is not finished yet, but nothing new starts.
    expect(await statuses()).toEqual(['running', 'a:failed', 'b:running', 't:skipped', 'd:skipped']);
    await requestJob(api, fixture.runnerToken).expect(204);

    await finishJob(api, b.body.id, b.body.token, 'success').expect(200);
    expect(await statuses()).toEqual(['failed', 'a:failed', 'b:success', 't:skipped', 'd:skipped']);
    await requestJob(api, fixture.runnerToken).expect(204);
    const failedJob = await as.get(`/projects/${fixture.projectId}/jobs/${a.body.id}`).expect(200);
    expect(failedJob.body).toMatchObject({ status: 'failed', failure_reason: 'script_failure' });
  });
});
