import { readFileSync } from 'node:fs';
import { RECLAIMED_PATH_MESSAGE } from '@lanyard/id-tokens';
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
 * GitLab 19.1 (#600358, `burned_project_routes`, `Ci::RegisterJobService`) refuses a `sub` leading with a full path
 * that a different project gave up. Lanyard refuses every token of such a project, whatever its `sub` (issue 14, item
 * 2): `project_path`, `namespace_path` and `ci_config_ref_uri` would still equal the old project's, and relying parties
 * bind those too. An admin releases the path for the project once no relying party trusts the old one.
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
  const release = (path: string, projectId: number) =>
    client(api, api.rootToken).post('/admin/ci/reclaimed_paths/release', { path, project_id: projectId });

  it('records every path given up by delete, by the project that gave it up', async () => {
    const { first, group } = await sharedGroup();
    const gone = await ciProject(first, group.id, 'service');
    await client(api, first).delete(`/projects/${gone.project.id}`).expect(202);
    expect(
      await db.query('SELECT path, project_id FROM burned_routes WHERE lower(path) = lower($1)', [`${group.full_path}/service`]),
    ).toEqual([{ path: `${group.full_path}/service`, project_id: gone.project.id }]);
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
    'fails every token-minting job of a project re-created at a path given up by %s, whatever its sub, until an admin releases the path for it',
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
      expect(logged).toEqual([expect.objectContaining({ level: 'warn', detail: RECLAIMED_PATH_MESSAGE })]);

      // The attack of issue 14: an id-led sub, as the old refusal advised, still carried the old project's path claims.
      await client(api, second).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: PROJECT_ID_LED }).expect(200);
      await expectRefused(second, project.id, runner.token);

      await setBlock(false).expect(200);
      try {
        expect(await expectToken(second, project.id, runner.token)).toBe(`project_id:${project.id}:ref_type:branch:ref:main`);
      } finally {
        await setBlock(true).expect(200);
      }
      await expectRefused(second, project.id, runner.token);

      const released = await release(`${group.full_path}/service`, project.id).expect(201);
      expect(released.body).toMatchObject({
        path: `${group.full_path}/service`,
        project_id: project.id,
        released_by: { username: 'root' },
        given_up_by: [previous.project.id],
      });
      await client(api, second).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: null }).expect(200);
      expect(await expectToken(second, project.id, runner.token)).toBe(`project_path:${group.full_path}/service:ref_type:branch:ref:main`);
    },
  );

  it('blocks the old path after a rename, and the project that gave it up too once another project held it since', async () => {
    const { first, second, group } = await sharedGroup();
    const renamed = await ciProject(first, group.id, 'api');
    await client(api, first).put(`/projects/${renamed.project.id}`, { path: 'api-v2' }).expect(200);
    expect(await expectToken(first, renamed.project.id, renamed.runner.token)).toBe(
      `project_path:${group.full_path}/api-v2:ref_type:branch:ref:main`,
    );

    const squatter = await ciProject(second, group.id, 'api');
    await expectRefused(second, squatter.project.id, squatter.runner.token);
    await client(api, first).delete(`/projects/${squatter.project.id}`).expect(202);

    // Back at its old path, the first project follows a project that held it: only an admin says it may mint there.
    await client(api, first).put(`/projects/${renamed.project.id}`, { path: 'api' }).expect(200);
    await expectRefused(first, renamed.project.id, renamed.runner.token);
    await release(`${group.full_path}/api`, renamed.project.id).expect(201);
    expect(await expectToken(first, renamed.project.id, renamed.runner.token)).toBe(
      `project_path:${group.full_path}/api:ref_type:branch:ref:main`,
    );
  });

  it('never lets the first owner, back on its path, mint the sub of a later holder that minted there (issue 14, item 2)', async () => {
    const { first, second, group } = await sharedGroup();
    const original = await ciProject(first, group.id, 'web');
    await client(api, first).put(`/projects/${original.project.id}`, { path: 'web-old' }).expect(200);
    const later = await ciProject(second, group.id, 'web');
    await setBlock(false).expect(200);
    try {
      expect(await expectToken(second, later.project.id, later.runner.token)).toBe(
        `project_path:${group.full_path}/web:ref_type:branch:ref:main`,
      );
    } finally {
      await setBlock(true).expect(200);
    }
    await client(api, first).put(`/projects/${later.project.id}`, { path: 'web-later' }).expect(200);
    await client(api, first).put(`/projects/${original.project.id}`, { path: 'web' }).expect(200);
    await expectRefused(first, original.project.id, original.runner.token);
    expect(
      await db.query('SELECT project_id FROM burned_routes WHERE lower(path) = lower($1) ORDER BY id', [`${group.full_path}/web`]),
    ).toEqual([{ project_id: original.project.id }, { project_id: later.project.id }]);
  });

  it('releases a path only for an admin, for a project and a path some other project gave up; a later giver blocks it again', async () => {
    const { first, second, group } = await sharedGroup();
    const gone = await ciProject(first, group.id, 'rel');
    await client(api, first).delete(`/projects/${gone.project.id}`).expect(202);
    const { project, runner } = await ciProject(second, group.id, 'rel');
    const path = `${group.full_path}/rel`;
    await client(api, second).post('/admin/ci/reclaimed_paths/release', { path, project_id: project.id }).expect(403);
    await release(`${group.full_path}/never-burned`, project.id).expect(404);
    await release(path, 999_999_999).expect(404);
    await release(path, gone.project.id).expect(404); // nothing another project gave up is in its way
    await client(api, api.rootToken).post('/admin/ci/reclaimed_paths/release', { path }).expect(400);
    await release(path, project.id).expect(201);
    await expectToken(second, project.id, runner.token);
    const list = (
      await client(api, api.rootToken)
        .get(`/admin/ci/reclaimed_paths?search=${encodeURIComponent(path)}`)
        .expect(200)
    ).body;
    expect(list).toEqual([
      expect.objectContaining({
        path,
        project_id: gone.project.id,
        releases: [expect.objectContaining({ project_id: project.id, released_by: expect.objectContaining({ username: 'root' }) })],
      }),
    ]);

    // A third project holds the path and gives it up: the release covered only those before it.
    await client(api, first).put(`/projects/${project.id}`, { path: 'rel-moved' }).expect(200);
    const third = await ciProject(second, group.id, 'rel');
    await expectRefused(second, third.project.id, third.runner.token);
    await client(api, first).delete(`/projects/${third.project.id}`).expect(202);
    await client(api, first).put(`/projects/${project.id}`, { path: 'rel' }).expect(200);
    await expectRefused(second, project.id, runner.token);
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

  it('fails a sub that leads with project_id and carries the reclaimed path after it', async () => {
    const { first, second, group } = await sharedGroup();
    const gone = await ciProject(first, group.id, 'jobs');
    await client(api, first).delete(`/projects/${gone.project.id}`).expect(202);
    const { project, runner } = await ciProject(second, group.id, 'jobs');
    await client(api, second)
      .put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_id', 'project_path', 'ref'] })
      .expect(200);
    await expectRefused(second, project.id, runner.token);
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
    expect((await client(api, api.rootToken).get('/application/settings').expect(200)).body).toMatchObject({
      block_jwt_for_reclaimed_paths: true,
    });
    await client(api, user).get('/application/settings').expect(403);
    await client(api, user).put('/application/settings', { block_jwt_for_reclaimed_paths: false }).expect(403);
    await client(api, api.rootToken).put('/application/settings', { block_jwt_for_reclaimed_paths: 'maybe' }).expect(400);
    expect((await client(api, api.rootToken).get('/application/settings').expect(200)).body.block_jwt_for_reclaimed_paths).toBe(true);
  });
});
