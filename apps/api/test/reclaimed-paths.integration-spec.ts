import { readFileSync } from 'node:fs';
import { reclaimedPathMessage } from '@lanyard/id-tokens';
import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { commitCiConfig, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const CI = `
deploy:
  script: [deploy]
  id_tokens:
    ID_TOKEN:
      aud: https://cloud.example.com
`;

const PROJECT_ID_LED = ['project_id', 'ref_type', 'ref'];

/**
 * GitLab 19.1 (#600358, `burned_project_routes`, `Ci::RegisterJobService`): a project on a full path that a different
 * project gave up may not mint a `sub` leading with that path, which would equal the old project's.
 */
describe('Reclaimed project paths', () => {
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp();
    db = api.app.get(DataSource);
  });

  afterAll(() => api.close());

  /** A group owned by `first`, where `second` (another user) may create projects too. */
  async function sharedGroup() {
    const first = await createUser(api, 'first');
    const second = await createUser(api, 'second');
    const group = await resources(api).group(first);
    await resources(api).addMember(first, `groups/${group.id}`, second, 40);
    return { first, second, group };
  }

  /** A project at `path` in the namespace, with the CI config and a project runner. */
  async function ciProject(owner: TestUser, namespaceId: number, path: string, yaml = CI) {
    const project = await resources(api).project(owner, { namespace_id: namespaceId, path });
    await commitCiConfig(api, owner, project.id, yaml, 'main');
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: project.id });
    return { project, runner };
  }

  /** Runs a pipeline and asks for its job: the job's row, the runner's answer, the issuance rows of the job. */
  async function pickUp(owner: TestUser, projectId: number, runnerToken: string) {
    const pipeline = await runPipeline(api, owner, projectId);
    const [{ id }] = await db.query('SELECT id FROM ci_builds WHERE pipeline_id = $1', [pipeline.id]);
    const answer = await requestJob(api, runnerToken);
    const issued = await db.query('SELECT sub FROM ci_id_token_issuances WHERE build_id = $1', [id]);
    return { jobId: Number(id), answer, issued, row: await buildRow(api, id) };
  }

  async function expectRefused(owner: TestUser, projectId: number, runnerToken: string) {
    const { jobId, answer, issued, row } = await pickUp(owner, projectId, runnerToken);
    expect(answer.status).toBe(204);
    expect(row).toMatchObject({ status: 'failed', failure_reason: 'id_token_burned_project_path', runner_id: null });
    expect(issued).toEqual([]);
    return jobId;
  }

  async function expectToken(owner: TestUser, projectId: number, runnerToken: string): Promise<string> {
    await runPipeline(api, owner, projectId);
    return decodeJwt(variableMap(await takeJob(api, runnerToken)).get('ID_TOKEN')!.value).sub!;
  }

  const setBlock = (value: boolean) => client(api, api.rootToken).put('/application/settings', { block_jwt_for_reclaimed_paths: value });

  it('records every path given up by delete, by the project that gave it up', async () => {
    const { first, group } = await sharedGroup();
    const gone = await ciProject(first, group.id, 'service');
    await client(api, first).delete(`/projects/${gone.project.id}`).expect(202);
    expect(await db.query('SELECT path, project_id FROM burned_routes WHERE lower(path) = lower($1)', [`${group.full_path}/service`])).toEqual([
      { path: `${group.full_path}/service`, project_id: gone.project.id },
    ]);
  });

  /** The three ways a project gives its path up; `first` owns the project. */
  const GIVE_UP: Record<string, (first: TestUser, projectId: number) => Promise<unknown>> = {
    delete: (first, projectId) => client(api, first).delete(`/projects/${projectId}`).expect(202),
    rename: (first, projectId) => client(api, first).put(`/projects/${projectId}`, { path: 'service-renamed' }).expect(200),
    transfer: async (first, projectId) => {
      const elsewhere = await resources(api).group(first);
      return client(api, first).put(`/projects/${projectId}/transfer`, { namespace: elsewhere.id }).expect(200);
    },
  };

  it.each(Object.keys(GIVE_UP))(
    'fails a path-led job of a project re-created at a path given up by %s; project_id-led subs and the admin setting let it through',
    async (way) => {
      const { first, second, group } = await sharedGroup();
      const previous = await ciProject(first, group.id, 'service');
      await GIVE_UP[way](first, previous.project.id);
      const { project, runner } = await ciProject(second, group.id, 'service');

      const jobId = await expectRefused(second, project.id, runner.token);
      const logged = readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"failureReason":"id_token_burned_project_path"'))
        .map((line) => JSON.parse(line))
        .filter((entry) => entry.jobId === jobId);
      expect(logged).toEqual([expect.objectContaining({ level: 'warn', detail: reclaimedPathMessage('project_id') })]);

      await client(api, second).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: PROJECT_ID_LED }).expect(200);
      expect(await expectToken(second, project.id, runner.token)).toBe(`project_id:${project.id}:ref_type:branch:ref:main`);

      await client(api, second).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: null }).expect(200);
      await setBlock(false).expect(200);
      try {
        expect(await expectToken(second, project.id, runner.token)).toBe(`project_path:${group.full_path}/service:ref_type:branch:ref:main`);
      } finally {
        await setBlock(true).expect(200);
      }
      await expectRefused(second, project.id, runner.token);
    },
  );

  it('blocks the old path after a rename, never the project that gave it up when it comes back', async () => {
    const { first, second, group } = await sharedGroup();
    const renamed = await ciProject(first, group.id, 'api');
    await client(api, first).put(`/projects/${renamed.project.id}`, { path: 'api-v2' }).expect(200);
    expect(await expectToken(first, renamed.project.id, renamed.runner.token)).toBe(`project_path:${group.full_path}/api-v2:ref_type:branch:ref:main`);

    const squatter = await ciProject(second, group.id, 'api');
    await expectRefused(second, squatter.project.id, squatter.runner.token);
    await client(api, first).delete(`/projects/${squatter.project.id}`).expect(202);

    // Back at its old path, the first project is the one that gave it up: its sub is its own again.
    await client(api, first).put(`/projects/${renamed.project.id}`, { path: 'api' }).expect(200);
    expect(await expectToken(first, renamed.project.id, renamed.runner.token)).toBe(`project_path:${group.full_path}/api:ref_type:branch:ref:main`);
  });

  it.each([
    ['renamed', (first: TestUser, groupId: number) => client(api, first).put(`/groups/${groupId}`, { path: 'team-renamed' }).expect(200)],
    [
      'transferred',
      async (first: TestUser, groupId: number) => {
        const elsewhere = await resources(api).group(first);
        return client(api, first).post(`/groups/${groupId}/transfer`, { group_id: elsewhere.id }).expect(201);
      },
    ],
  ] as const)('blocks the paths of the projects below a group that is %s', async (_way, giveUp) => {
    const { first, second, group } = await sharedGroup();
    const team = await resources(api).group(first, { parent_id: group.id, path: 'team' });
    await ciProject(first, team.id, 'app');
    await giveUp(first, team.id);
    const newTeam = await resources(api).group(second, { parent_id: group.id, path: 'team' });
    const reclaimer = await ciProject(second, newTeam.id, 'app');
    await expectRefused(second, reclaimer.project.id, reclaimer.runner.token);
  });

  // job_project_path-led subs are refused alike (unit-tested in libs/id-tokens); the API does not let them lead yet.
  it('lets a sub that leads with project_id carry the reclaimed path after it: it can never equal the old project’s', async () => {
    const { first, second, group } = await sharedGroup();
    const gone = await ciProject(first, group.id, 'jobs');
    await client(api, first).delete(`/projects/${gone.project.id}`).expect(202);
    const { project, runner } = await ciProject(second, group.id, 'jobs');
    await client(api, second).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_id', 'project_path', 'ref'] }).expect(200);
    expect(await expectToken(second, project.id, runner.token)).toBe(`project_id:${project.id}:project_path:${group.full_path}/jobs:ref:main`);
  });

  it('never holds up a job that mints no token; the legacy CI_JOB_JWT_V2, whose sub is composed alike, is refused', async () => {
    const { first, second, group } = await sharedGroup();
    const gone = await ciProject(first, group.id, 'legacy');
    await client(api, first).delete(`/projects/${gone.project.id}`).expect(202);
    const { project, runner } = await ciProject(second, group.id, 'legacy', 'build:\n  script: [make]\n');
    const plain = await pickUp(second, project.id, runner.token);
    expect(plain.answer.status).toBe(201);
    await client(api, second).put(`/projects/${project.id}`, { ci_opt_in_jwt: false }).expect(200);
    await expectRefused(second, project.id, runner.token);
  });

  it('serves block_jwt_for_reclaimed_paths on GET/PUT /application/settings to admins only (on by default)', async () => {
    const user = await createUser(api, 'notadmin');
    expect((await client(api, api.rootToken).get('/application/settings').expect(200)).body).toMatchObject({ block_jwt_for_reclaimed_paths: true });
    await client(api, user).get('/application/settings').expect(403);
    await client(api, user).put('/application/settings', { block_jwt_for_reclaimed_paths: false }).expect(403);
    await client(api, api.rootToken).put('/application/settings', { block_jwt_for_reclaimed_paths: 'maybe' }).expect(400);
    expect((await client(api, api.rootToken).get('/application/settings').expect(200)).body.block_jwt_for_reclaimed_paths).toBe(true);
  });
});
