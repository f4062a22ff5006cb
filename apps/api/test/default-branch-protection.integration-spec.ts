import { decodeJwt } from 'jose';
import { commitCiConfig } from './support/ci-fixtures';
import { fileUrl } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const CI_YAML = 'deploy:\n  id_tokens:\n    ID_TOKEN:\n      aud: https://cloud.example\n  script: echo deploy\n';

/**
 * GitLab's default branch protection, "fully protected" (`Gitlab::Access::BranchProtection` PROTECTION_FULL,
 * `Projects::ProtectDefaultBranchService`): the branch a first commit creates is protected with push and merge for
 * maintainers, and only a maintainer may make that first commit (`Project#user_can_push_to_empty_repo?`).
 */
describe('Default branch protection', () => {
  let api: TestApp;
  let owner: TestUser;
  let developer: TestUser;

  const newProject = async () => {
    const project = await resources(api).project(owner);
    await resources(api).addMember(owner, `projects/${project.id}`, developer, 30);
    return project.id;
  };
  const commit = (who: TestUser, projectId: number, path: string, branch = 'main', extra: object = {}) =>
    api.http
      .post(fileUrl(projectId, path))
      .set('PRIVATE-TOKEN', who.token)
      .send({ branch, content: `${path}\n`, commit_message: `Add ${path}`, ...extra });

  beforeAll(async () => {
    api = await startTestApp();
    [owner, developer] = await Promise.all([createUser(api, 'owner'), createUser(api, 'dev')]);
  });

  afterAll(() => api.close());

  it('protects the branch the first commit creates: push and merge for maintainers, no force push', async () => {
    const projectId = await newProject();
    await client(api, owner).get(`/projects/${projectId}/protected_branches`).expect(200, []);
    await commitCiConfig(api, owner, projectId, CI_YAML, 'main');

    const rules = (await client(api, owner).get(`/projects/${projectId}/protected_branches`).expect(200)).body;
    expect(rules).toEqual([
      expect.objectContaining({
        name: 'main',
        push_access_levels: [expect.objectContaining({ access_level: 40, access_level_description: 'Maintainers' })],
        merge_access_levels: [expect.objectContaining({ access_level: 40, access_level_description: 'Maintainers' })],
        allow_force_push: false,
      }),
    ]);
    expect((await client(api, owner).get(`/projects/${projectId}`).expect(200)).body.default_branch).toBe('main');
    expect((await client(api, owner).get(`/projects/${projectId}/repository/branches/main`).expect(200)).body).toMatchObject({
      default: true,
      protected: true,
      developers_can_push: false,
    });
  });

  it('stops a developer from pushing to the default branch, not to a branch of their own', async () => {
    const projectId = await newProject();
    await commitCiConfig(api, owner, projectId, CI_YAML, 'main');
    const refused = await commit(developer, projectId, 'dev.txt');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: 'You are not allowed to push into this branch' });
    await commit(developer, projectId, 'feature.txt', 'feature', { start_branch: 'main' }).expect(201);
    await commit(owner, projectId, 'owner.txt').expect(201);
  });

  it('gives a pipeline on the default branch ref_protected "true", out of the box', async () => {
    const projectId = await newProject();
    await commitCiConfig(api, owner, projectId, CI_YAML, 'main');
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: projectId });
    await runPipeline(api, owner, projectId, 'main');
    const job = await takeJob(api, runner.token);
    const variables = variableMap(job);
    expect(variables.get('CI_COMMIT_REF_PROTECTED')?.value).toBe('true');
    expect(decodeJwt(variables.get('ID_TOKEN')!.value)).toMatchObject({ ref: 'main', ref_protected: 'true' });
  });

  it('refuses a developer’s first commit to an empty repository, and leaves it empty', async () => {
    const projectId = await newProject();
    const refused = await commit(developer, projectId, '.gitlab-ci.yml');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: 'You are not allowed to push into this branch' });
    await client(api, owner).get(`/projects/${projectId}/protected_branches`).expect(200, []);
    expect((await client(api, owner).get(`/projects/${projectId}`)).body).toMatchObject({ default_branch: null, empty_repo: true });
  });

  it('adds no rule when one already covers the branch, as ProtectDefaultBranchService', async () => {
    const projectId = await newProject();
    await client(api, owner).post(`/projects/${projectId}/protected_branches`, { name: 'ma*', push_access_level: 30 }).expect(201);
    await commit(developer, projectId, 'first.txt').expect(201);
    const rules = (await client(api, owner).get(`/projects/${projectId}/protected_branches`).expect(200)).body;
    expect(rules.map((rule: { name: string }) => rule.name)).toEqual(['ma*']);
  });

  it('protects only when the branch comes into existence: an unprotected default branch stays so', async () => {
    const projectId = await newProject();
    await commit(owner, projectId, 'first.txt').expect(201);
    await client(api, owner).delete(`/projects/${projectId}/protected_branches/main`).expect(204);
    await commit(developer, projectId, 'second.txt').expect(201);
    await commit(owner, projectId, 'third.txt', 'other', { start_branch: 'main' }).expect(201);
    await client(api, owner).get(`/projects/${projectId}/protected_branches`).expect(200, []);
  });
});
