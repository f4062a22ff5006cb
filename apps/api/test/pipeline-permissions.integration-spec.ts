import { DataSource } from 'typeorm';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { CiFixture, createCiFixture } from './support/ci-fixtures';

const CONFIG = 'deploy:\n  script: ./deploy\n';

/** GitLab's `Gitlab::Ci::Pipeline::Chain::Validate::Abilities#perform!` for a ref the caller may not write. */
const refRefused = (ref: string) => ({
  message: {
    base: [
      `You do not have sufficient permission to run a pipeline on '${ref}'. Please select a different branch or contact your administrator for assistance.`,
    ],
  },
});

describe('Pipeline creation: GitLab’s permission messages and pipeline variables', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let base: string;

  const pipelineCount = async () =>
    Number((await api.app.get(DataSource).query('SELECT count(*) FROM ci_pipelines WHERE project_id = $1', [fixture.projectId]))[0].count);

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, CONFIG);
    base = `/projects/${fixture.projectId}`;
    developer = await createUser(api, 'dev');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    const as = client(api, fixture.maintainer);
    await as.post(`${base}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    // main is protected on creation (push and merge: maintainers), as GitLab's default.
    await as.get(`${base}/protected_branches/main`).expect(200);
  });

  afterAll(() => api.close());

  describe('a protected ref the caller may not write', () => {
    it("answers GitLab's message naming the ref, and creates nothing", async () => {
      const before = await pipelineCount();
      const refused = await client(api, developer).post(`${base}/pipeline`, { ref: 'main' }).expect(400);
      expect(refused.body).toEqual(refRefused('main'));
      expect(await pipelineCount()).toBe(before);
    });
  });

  describe('pipeline variables (ci_pipeline_variables_minimum_override_role)', () => {
    const VARIABLES_REFUSED = { message: { base: ['Insufficient permissions to set pipeline variables'] } };
    const vault = [{ key: 'VAULT_SERVER_URL', value: 'https://attacker.example' }];
    const setRole = (who: TestUser | string, role: unknown) =>
      client(api, who).put(base, { ci_pipeline_variables_minimum_override_role: role });

    it('gives a new project no_one_allowed, as GitLab.com does', async () => {
      const project = await client(api, fixture.maintainer).get(base).expect(200);
      expect(project.body.ci_pipeline_variables_minimum_override_role).toBe('no_one_allowed');
    });

    it('refuses a developer who passes VAULT_SERVER_URL under the default, and creates nothing', async () => {
      const before = await pipelineCount();
      const refused = await client(api, developer).post(`${base}/pipeline`, { ref: 'feature', variables: vault }).expect(400);
      expect(refused.body).toEqual(VARIABLES_REFUSED);
      expect(await pipelineCount()).toBe(before);
    });

    it('refuses even maintainers and admins under no_one_allowed, and checks variables before the ref (GitLab’s Chain::Build)', async () => {
      const before = await pipelineCount();
      expect((await client(api, fixture.maintainer).post(`${base}/pipeline`, { ref: 'main', variables: vault }).expect(400)).body).toEqual(
        VARIABLES_REFUSED,
      );
      expect((await client(api, api.rootToken).post(`${base}/pipeline`, { ref: 'main', variables: vault }).expect(400)).body).toEqual(
        VARIABLES_REFUSED,
      );
      expect((await client(api, developer).post(`${base}/pipeline`, { ref: 'main', variables: vault }).expect(400)).body).toEqual(
        VARIABLES_REFUSED,
      );
      expect(await pipelineCount()).toBe(before);
    });

    it('lets anyone run a pipeline without variables, or with an empty list', async () => {
      await client(api, developer).post(`${base}/pipeline`, { ref: 'feature' }).expect(201);
      await client(api, developer).post(`${base}/pipeline`, { ref: 'feature', variables: [] }).expect(201);
    });

    it('lets a developer pass variables once the role is developer, and keeps them on the pipeline', async () => {
      expect((await setRole(fixture.maintainer, 'developer').expect(200)).body.ci_pipeline_variables_minimum_override_role).toBe(
        'developer',
      );
      const created = await client(api, developer).post(`${base}/pipeline`, { ref: 'feature', variables: vault }).expect(201);
      const [row] = await api.app.get(DataSource).query('SELECT variables FROM ci_pipelines WHERE id = $1', [created.body.id]);
      expect(row.variables).toEqual([{ key: 'VAULT_SERVER_URL', value: 'https://attacker.example', variable_type: 'env_var' }]);
    });

    it('refuses a developer again once the role is maintainer, and lets the maintainer through', async () => {
      await setRole(fixture.maintainer, 'maintainer').expect(200);
      expect((await client(api, developer).post(`${base}/pipeline`, { ref: 'feature', variables: vault }).expect(400)).body).toEqual(
        VARIABLES_REFUSED,
      );
      await client(api, fixture.maintainer).post(`${base}/pipeline`, { ref: 'feature', variables: vault }).expect(201);
    });

    it("lets only owners (and admins) choose owner, with GitLab's message", async () => {
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, maintainer, 40);
      expect((await setRole(maintainer, 'owner').expect(400)).body).toEqual({
        message: 'Changing the ci_pipeline_variables_minimum_override_role to the owner role is not allowed',
      });
      expect((await client(api, maintainer).get(base).expect(200)).body.ci_pipeline_variables_minimum_override_role).toBe('maintainer');
      await setRole(maintainer, 'no_one_allowed').expect(200);
      expect((await setRole(api.rootToken, 'owner').expect(200)).body.ci_pipeline_variables_minimum_override_role).toBe('owner');
      // An owner-only setting admits no maintainer.
      expect((await client(api, maintainer).post(`${base}/pipeline`, { ref: 'feature', variables: vault }).expect(400)).body).toEqual(
        VARIABLES_REFUSED,
      );
      // Nor can a maintainer undo the owner's lock.
      expect((await setRole(maintainer, 'developer').expect(400)).body).toEqual({
        message: 'Changing the ci_pipeline_variables_minimum_override_role from the owner role is not allowed',
      });
      expect((await client(api, maintainer).get(base).expect(200)).body.ci_pipeline_variables_minimum_override_role).toBe('owner');
    });

    it('refuses developers the setting, and values GitLab does not know', async () => {
      await setRole(developer, 'developer').expect(403);
      for (const value of ['guest', 'reporter', '', null, 30]) await setRole(fixture.maintainer, value).expect(400);
      expect((await client(api, fixture.maintainer).get(base).expect(200)).body.ci_pipeline_variables_minimum_override_role).toBe('owner');
    });
  });
});
