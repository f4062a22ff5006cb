import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { commitCiConfig, requestJob } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { client, resources } from './support/resources';
import { TestApp, createUser } from './support/test-app';

const FIELD = 'ci_cd_settings.id_token_sub_claim_components';
const FIRST = 'project_path, project_id, job_project_path or job_project_id must be the first element of the sub claim';
const YAML = 'deploy:\n  script: [x]\n  environment: production\n  id_tokens:\n    TOKEN:\n      aud: https://verifier\n';

describe('sub claim components (project setting, group default)', () => {
  let api: TestApp & { baseUrl: string };

  beforeAll(async () => {
    api = await startListeningTestApp();
  });

  afterAll(() => api.close());

  async function tree() {
    const owner = await createUser(api, 'owner');
    const root = await resources(api).group(owner);
    const sub = await resources(api).group(owner, { parent_id: root.id });
    const project = await resources(api).project(owner, { namespace_id: sub.id });
    return { owner, root, sub, project };
  }

  it('defaults to project_path, ref_type, ref', async () => {
    const { owner, project } = await tree();
    const shown = await client(api, owner).get(`/projects/${project.id}`).expect(200);
    expect(shown.body.ci_id_token_sub_claim_components).toEqual(['project_path', 'ref_type', 'ref']);
  });

  it('takes the project setting, else the nearest group that sets one, and null inherits again', async () => {
    const { owner, root, sub, project } = await tree();
    const as = client(api, owner);
    await as.put(`/groups/${root.id}`, { ci_id_token_sub_claim_components: ['project_id', 'ref'] }).expect(200);
    expect((await as.get(`/projects/${project.id}`)).body.ci_id_token_sub_claim_components).toEqual(['project_id', 'ref']);
    const subgroup = await as.put(`/groups/${sub.id}`, { ci_id_token_sub_claim_components: ['project_path', 'environment'] }).expect(200);
    expect(subgroup.body.ci_id_token_sub_claim_components).toEqual(['project_path', 'environment']);
    expect((await as.get(`/projects/${project.id}`)).body.ci_id_token_sub_claim_components).toEqual(['project_path', 'environment']);
    const own = await as
      .put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_path', 'ref_protected'] })
      .expect(200);
    expect(own.body.ci_id_token_sub_claim_components).toEqual(['project_path', 'ref_protected']);
    await as.put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: null }).expect(200);
    await as.put(`/groups/${sub.id}`, { ci_id_token_sub_claim_components: null }).expect(200);
    expect((await as.get(`/projects/${project.id}`)).body.ci_id_token_sub_claim_components).toEqual(['project_id', 'ref']);
  });

  it.each([
    [[], ['is too short (minimum is 1 character)', FIRST]],
    [['ref'], [FIRST]],
    // A namespace first would give every project of the group one sub (issue 7 item 13).
    [['namespace_path', 'ref'], [FIRST]],
    [['namespace_id', 'project_id'], [FIRST]],
    [['project_path', 'not_existing_claim'], ['not_existing_claim is not an allowed sub claim component']],
    [['project_path', 'ref', 'ref'], ['duplicate component ref']],
    ['project_path,ref', ['must be an array of strings']],
    [[null], ['must be an array of strings']],
    [[['ref']], ['must be an array of strings']],
    [[1], ['must be an array of strings']],
    [['project_path', 'Ref'], ['Ref is not an allowed sub claim component']],
    [['project_path', 'ref:x'], ['ref:x is not an allowed sub claim component']],
  ])('rejects %j with GitLab messages and changes nothing', async (value, messages) => {
    const { owner, project } = await tree();
    const response = await client(api, owner)
      .put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: value, description: 'changed' })
      .expect(400);
    expect(response.body).toEqual({ message: { [FIELD]: messages } });
    const shown = await client(api, owner).get(`/projects/${project.id}`).expect(200);
    expect(shown.body).toMatchObject({ description: '', ci_id_token_sub_claim_components: ['project_path', 'ref_type', 'ref'] });
  });

  it.each([[['namespace_path']], [['namespace_id', 'project_path']]])(
    'refuses a group default led by %j, which every project of the group would share',
    async (value) => {
      const { owner, root } = await tree();
      const response = await client(api, owner).put(`/groups/${root.id}`, { ci_id_token_sub_claim_components: value }).expect(400);
      expect(response.body).toEqual({ message: { [FIELD]: [FIRST] } });
      expect((await client(api, owner).get(`/groups/${root.id}`).expect(200)).body.ci_id_token_sub_claim_components).toBeNull();
    },
  );

  it.each([['job_project_path'], ['job_project_id'], ['project_id'], ['project_path']])(
    'accepts %s first, on a project and on a group',
    async (first) => {
      const { owner, root, project } = await tree();
      // A job_project-led list must also tell a fork's merge-request pipeline apart (gitlab#548165).
      const value = [first, 'ref_type', 'ref', 'ref_protected'];
      expect(
        (await client(api, owner).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: value }).expect(200)).body
          .ci_id_token_sub_claim_components,
      ).toEqual(value);
      expect(
        (await client(api, owner).put(`/groups/${root.id}`, { ci_id_token_sub_claim_components: value }).expect(200)).body
          .ci_id_token_sub_claim_components,
      ).toEqual(value);
    },
  );

  it('refuses a job_project-led list that cannot tell a fork branch called main from the protected main, on a project and on a group', async () => {
    const { owner, root, project } = await tree();
    const value = ['job_project_id', 'ref_type', 'ref'];
    const expected = {
      message: {
        [FIELD]: [
          'job_project_id must be followed by one of project_path, project_id, ref_protected or pipeline_source: a merge-request ' +
            "pipeline from a fork runs in this project, and without one of them a fork branch named main gets the protected main's sub (gitlab#548165)",
        ],
      },
    };
    expect((await client(api, owner).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: value }).expect(400)).body).toEqual(
      expected,
    );
    expect((await client(api, owner).put(`/groups/${root.id}`, { ci_id_token_sub_claim_components: value }).expect(400)).body).toEqual(
      expected,
    );
  });

  describe('warnings where a setting loses information (issue 7 item 12)', () => {
    const REF_WITHOUT_TYPE =
      'ci_id_token_sub_claim_components has ref but not ref_type: a tag and a branch with the same name (a tag named ' +
      'main and the protected branch main) get the same sub; add ref_type';

    it('stores ref without ref_type on a project and a group, answering 200 with a warning', async () => {
      const { owner, root, project } = await tree();
      const value = ['project_path', 'ref'];
      const onProject = await client(api, owner).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: value }).expect(200);
      expect(onProject.body).toMatchObject({ ci_id_token_sub_claim_components: value, warnings: [REF_WITHOUT_TYPE] });
      const onGroup = await client(api, owner).put(`/groups/${root.id}`, { ci_id_token_sub_claim_components: value }).expect(200);
      expect(onGroup.body).toMatchObject({ ci_id_token_sub_claim_components: value, warnings: [REF_WITHOUT_TYPE] });
    });

    it('adds no warnings field when nothing is lost or the components are not changed', async () => {
      const { owner, root, project } = await tree();
      const as = client(api, owner);
      const full = { ci_id_token_sub_claim_components: ['project_path', 'ref_type', 'ref'] };
      expect((await as.put(`/projects/${project.id}`, full).expect(200)).body).not.toHaveProperty('warnings');
      expect((await as.put(`/groups/${root.id}`, full).expect(200)).body).not.toHaveProperty('warnings');
      expect((await as.put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: null }).expect(200)).body).not.toHaveProperty(
        'warnings',
      );
      expect((await as.put(`/projects/${project.id}`, { description: 'x' }).expect(200)).body).not.toHaveProperty('warnings');
    });
  });

  describe('a setting led by a namespace component, stored before the rule', () => {
    const storeDirectly = async (table: 'project_ci_cd_settings' | 'namespace_ci_cd_settings', id: number, components: string[]) => {
      const key = table === 'project_ci_cd_settings' ? 'project_id' : 'namespace_id';
      await api.app
        .get(DataSource)
        .query(`INSERT INTO ${table} (${key}, id_token_sub_claim_components) VALUES ($1, $2::text[])`, [id, components]);
    };

    it.each([['project_ci_cd_settings'], ['namespace_ci_cd_settings']] as const)(
      'fails the job with id_token_sub_components_invalid and records no issuance (%s)',
      async (table) => {
        const { owner, root, project } = await tree();
        await storeDirectly(table, table === 'project_ci_cd_settings' ? project.id : root.id, ['namespace_path', 'ref']);
        const as = client(api, owner);
        await commitCiConfig(api, owner, project.id, YAML, 'main');
        const runner = await as.post('/user/runners', { runner_type: 'project_type', project_id: project.id }).expect(201);
        const pipeline = await as.post(`/projects/${project.id}/pipeline`, { ref: 'main' }).expect(201);

        await requestJob(api, runner.body.token).expect(204);

        const [job] = (await as.get(`/projects/${project.id}/pipelines/${pipeline.body.id}/jobs`).expect(200)).body;
        expect(job).toMatchObject({ status: 'failed', failure_reason: 'id_token_sub_components_invalid' });
        const issuances = await api.app.get(DataSource).query('SELECT jti FROM ci_id_token_issuances WHERE build_id = $1', [job.id]);
        expect(issuances).toEqual([]);
      },
    );

    it('is reported by lint as a warning naming the jobs that would fail', async () => {
      const { owner, project } = await tree();
      await storeDirectly('project_ci_cd_settings', project.id, ['namespace_id', 'ref']);
      const linted = await client(api, owner).post(`/projects/${project.id}/ci/lint`, { content: YAML }).expect(200);
      expect(linted.body).toMatchObject({
        valid: true,
        errors: [],
        warnings: [
          'jobs:deploy will fail with id_token_sub_components_invalid: the sub claim components in force (namespace_id, ref) are invalid: ' +
            `${FIRST}; fix ci_id_token_sub_claim_components of the project or its group`,
        ],
      });
      const plain = await client(api, owner).post(`/projects/${project.id}/ci/lint`, { content: 'build:\n  script: make\n' }).expect(200);
      expect(plain.body.warnings).toEqual([]);
    });
  });

  it('lets maintainers set a project, owners a group, and nobody else', async () => {
    const { owner, root, project } = await tree();
    const [developer, maintainer, outsider] = [await createUser(api, 'd'), await createUser(api, 'm'), await createUser(api, 'o')];
    await resources(api).addMember(owner, `projects/${project.id}`, developer, 30);
    await resources(api).addMember(owner, `groups/${root.id}`, maintainer, 40);
    const body = { ci_id_token_sub_claim_components: ['project_path'] };
    await client(api, developer).put(`/projects/${project.id}`, body).expect(403);
    await client(api, maintainer).put(`/projects/${project.id}`, body).expect(200);
    await client(api, maintainer).put(`/groups/${root.id}`, body).expect(403);
    await client(api, outsider).put(`/projects/${project.id}`, body).expect(404);
    await api.http.put(`/api/v4/projects/${project.id}`).send(body).expect(401);
  });

  it('mints with the settings in force when the runner takes the job, not when the pipeline was created', async () => {
    const { owner, project } = await tree();
    const as = client(api, owner);
    await commitCiConfig(api, owner, project.id, YAML, 'main');
    const runner = await as.post('/user/runners', { runner_type: 'project_type', project_id: project.id }).expect(201);
    await as.post(`/projects/${project.id}/pipeline`, { ref: 'main' }).expect(201);
    await as
      .put(`/projects/${project.id}`, {
        ci_id_token_sub_claim_components: ['project_id', 'environment', 'ref_protected', 'deployment_tier'],
      })
      .expect(200);
    const job = await requestJob(api, runner.body.token).expect(201);
    const token = job.body.variables.find((v: { key: string }) => v.key === 'TOKEN').value;
    const jwks = createRemoteJWKSet(new URL(`${api.baseUrl}/oauth/discovery/keys`));
    const { payload } = await jwtVerify(token, jwks, { issuer: api.baseUrl, audience: 'https://verifier' });
    expect(payload.sub).toBe(`project_id:${project.id}:environment:production:ref_protected:true:deployment_tier:production`);
  });
});
