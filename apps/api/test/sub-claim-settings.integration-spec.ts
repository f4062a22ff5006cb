import { createRemoteJWKSet, jwtVerify } from 'jose';
import { commitCiConfig, requestJob } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { client, resources } from './support/resources';
import { TestApp, createUser } from './support/test-app';

const FIELD = 'ci_cd_settings.id_token_sub_claim_components';
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
    const own = await as.put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_path', 'ref_protected'] }).expect(200);
    expect(own.body.ci_id_token_sub_claim_components).toEqual(['project_path', 'ref_protected']);
    await as.put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: null }).expect(200);
    await as.put(`/groups/${sub.id}`, { ci_id_token_sub_claim_components: null }).expect(200);
    expect((await as.get(`/projects/${project.id}`)).body.ci_id_token_sub_claim_components).toEqual(['project_id', 'ref']);
  });

  it.each([
    [[], ['is too short (minimum is 1 character)', 'project_path or project_id must be the first element of the sub claim']],
    [['ref'], ['project_path or project_id must be the first element of the sub claim']],
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
    const response = await client(api, owner).put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: value, description: 'changed' }).expect(400);
    expect(response.body).toEqual({ message: { [FIELD]: messages } });
    const shown = await client(api, owner).get(`/projects/${project.id}`).expect(200);
    expect(shown.body).toMatchObject({ description: '', ci_id_token_sub_claim_components: ['project_path', 'ref_type', 'ref'] });
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
    await as.put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_id', 'environment', 'ref_protected', 'deployment_tier'] }).expect(200);
    const job = await requestJob(api, runner.body.token).expect(201);
    const token = job.body.variables.find((v: { key: string }) => v.key === 'TOKEN').value;
    const jwks = createRemoteJWKSet(new URL(`${api.baseUrl}/oauth/discovery/keys`));
    const { payload } = await jwtVerify(token, jwks, { issuer: api.baseUrl, audience: 'https://verifier' });
    expect(payload.sub).toBe(`project_id:${project.id}:environment:production:ref_protected:true:deployment_tier:production`);
  });
});
