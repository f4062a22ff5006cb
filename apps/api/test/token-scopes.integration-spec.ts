import { DataSource } from 'typeorm';
import { createCiFixture } from './support/ci-fixtures';
import { commitFile, fileUrl } from './support/repository-fixtures';
import { client } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const CI_YAML = 'build:\n  script: echo hi\n';

/** GitLab's answer (`API::APIGuard`, rack-oauth2's Bearer::Forbidden): `scope` lists every scope the route registers. */
const insufficientScope = (scope: string) => ({
  error: 'insufficient_scope',
  error_description: 'The request requires higher privileges than provided by the access token.',
  scope,
});

describe('Personal access token scopes', () => {
  let api: TestApp;
  let maintainer: TestUser;
  let projectId: number;
  let runnerToken: string;

  const tokenWith = async (scopes: string[]): Promise<string> => {
    const response = await client(api, api.rootToken).post(`/users/${maintainer.id}/personal_access_tokens`, {
      name: scopes.join('+'),
      scopes,
    });
    expect(response.status).toBe(201);
    return response.body.token;
  };
  const count = async (sql: string): Promise<number> => Number((await api.app.get(DataSource).query(sql, [projectId]))[0].count);
  const pipelines = () => count('SELECT count(*) FROM ci_pipelines WHERE project_id = $1');
  const variables = () => count('SELECT count(*) FROM ci_variables WHERE project_id = $1');

  beforeAll(async () => {
    api = await startTestApp();
    const fixture = await createCiFixture(api, CI_YAML);
    maintainer = fixture.maintainer;
    projectId = fixture.projectId;
    runnerToken = fixture.runnerToken;
  });

  afterAll(() => api.close());

  describe('read_api', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenWith(['read_api']);
    });

    it('cannot create a pipeline (403 insufficient_scope, nothing written)', async () => {
      const before = await pipelines();
      const response = await client(api, token).post(`/projects/${projectId}/pipeline`, { ref: 'main' });
      expect(response.status).toBe(403);
      expect(response.body).toEqual(insufficientScope('api read_api'));
      expect(await pipelines()).toBe(before);
    });

    it('cannot change project settings such as ci_opt_in_jwt', async () => {
      const response = await client(api, token).put(`/projects/${projectId}`, { ci_opt_in_jwt: false });
      expect(response.status).toBe(403);
      expect(response.body).toEqual(insufficientScope('api read_api'));
      const project = await client(api, maintainer).get(`/projects/${projectId}`).expect(200);
      expect(project.body.ci_opt_in_jwt).toBe(true);
    });

    it('cannot write variables', async () => {
      const before = await variables();
      const response = await client(api, token).post(`/projects/${projectId}/variables`, {
        key: 'VAULT_SERVER_URL',
        value: 'https://evil.example',
      });
      expect(response.status).toBe(403);
      expect(response.body).toEqual(insufficientScope('api read_api'));
      expect(await variables()).toBe(before);
    });

    it('can read: GET /projects/:id, pipelines, variables, /user, files', async () => {
      await client(api, token).get(`/projects/${projectId}`).expect(200);
      await client(api, token).get(`/projects/${projectId}/pipelines`).expect(200);
      await client(api, token).get(`/projects/${projectId}/variables`).expect(200);
      await client(api, token).get('/user').expect(200);
      await api.http
        .get(fileUrl(projectId, '.gitlab-ci.yml', '/raw?ref=main'))
        .set('PRIVATE-TOKEN', token)
        .expect(200);
    });

    it('refuses PUT and DELETE too, before the resource is looked up', async () => {
      const put = await client(api, token).put(`/projects/999999999/variables/X`, { value: 'y' });
      expect(put.status).toBe(403);
      expect(put.body).toEqual(insufficientScope('api read_api'));
      const del = await client(api, token).delete(`/projects/${projectId}/protected_branches/main`);
      expect(del.status).toBe(403);
    });
  });

  describe('read_user', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenWith(['read_user']);
    });

    it('can GET /user and GET /users/:id', async () => {
      const me = await client(api, token).get('/user').expect(200);
      expect(me.body.id).toBe(maintainer.id);
      await client(api, token).get(`/users/${maintainer.id}`).expect(200);
    });

    it('cannot GET /projects or a project', async () => {
      const list = await client(api, token).get('/projects');
      expect(list.status).toBe(403);
      expect(list.body).toEqual(insufficientScope('api read_api'));
      const one = await client(api, token).get(`/projects/${projectId}`);
      expect(one.status).toBe(403);
    });

    it('cannot write under /users (GitLab grants read_user to GET and HEAD only)', async () => {
      const response = await client(api, token).post(`/users/${maintainer.id}/personal_access_tokens`, { name: 'more', scopes: ['api'] });
      expect(response.status).toBe(403);
      expect(response.body).toEqual(insufficientScope('read_user api read_api'));
    });
  });

  describe.each([['read_repository'], ['write_repository']])('%s', (scope) => {
    let token: string;
    beforeAll(async () => {
      token = await tokenWith([scope]);
    });

    it('cannot create a pipeline, read the project or commit a file', async () => {
      const before = await pipelines();
      const pipeline = await client(api, token).post(`/projects/${projectId}/pipeline`, { ref: 'main' });
      expect(pipeline.status).toBe(403);
      expect(pipeline.body).toEqual(insufficientScope('api read_api'));
      expect(await pipelines()).toBe(before);
      expect((await client(api, token).get(`/projects/${projectId}`)).status).toBe(403);
      const commit = await api.http
        .post(fileUrl(projectId, `${scope}.txt`))
        .set('PRIVATE-TOKEN', token)
        .send({ branch: 'main', content: 'x', commit_message: 'x' });
      expect(commit.status).toBe(403);
      expect(commit.body).toEqual(insufficientScope('read_repository api read_api'));
    });
  });

  it('read_repository may read repository files, as GitLab’s API::Files allows', async () => {
    const token = await tokenWith(['read_repository']);
    const raw = await api.http
      .get(fileUrl(projectId, '.gitlab-ci.yml', '/raw?ref=main'))
      .set('PRIVATE-TOKEN', token)
      .expect(200);
    expect(raw.text).toBe(CI_YAML);
    await api.http
      .get(fileUrl(projectId, '.gitlab-ci.yml', '?ref=main'))
      .set('PRIVATE-TOKEN', token)
      .expect(200);
  });

  it('write_repository grants no API reads (GitLab: Git over HTTP only)', async () => {
    const token = await tokenWith(['write_repository']);
    const raw = await api.http.get(fileUrl(projectId, '.gitlab-ci.yml', '/raw?ref=main')).set('PRIVATE-TOKEN', token);
    expect(raw.status).toBe(403);
    expect(raw.body).toEqual(insufficientScope('read_repository api read_api'));
  });

  it.each([['sudo'], ['admin_mode']])('%s alone grants no endpoint', async (scope) => {
    const token = await tokenWith([scope]);
    const response = await client(api, token).get('/user');
    expect(response.status).toBe(403);
    expect(response.body).toEqual(insufficientScope('read_user api read_api'));
  });

  it('create_runner may create a runner and nothing else', async () => {
    const token = await tokenWith(['create_runner']);
    await client(api, token).post('/user/runners', { runner_type: 'project_type', project_id: projectId }).expect(201);
    const response = await client(api, token).get(`/projects/${projectId}`);
    expect(response.status).toBe(403);
  });

  it('api can do all of it', async () => {
    const token = await tokenWith(['api']);
    await client(api, token).post(`/projects/${projectId}/pipeline`, { ref: 'main' }).expect(201);
    await client(api, token).post(`/projects/${projectId}/variables`, { key: 'API_SCOPE_OK', value: 'v' }).expect(201);
    await client(api, token).put(`/projects/${projectId}`, { description: 'changed with api' }).expect(200);
    await commitFile(api, { ...maintainer, token }, projectId, 'api-scope.txt', 'x');
    await client(api, token).get('/user').expect(200);
  });

  it('leaves runner and OIDC endpoints alone: they take no personal access token, whatever one is sent', async () => {
    const token = await tokenWith(['read_user']);
    await api.http.post('/api/v4/runners/verify').set('PRIVATE-TOKEN', token).send({ token: runnerToken }).expect(200);
    await api.http.get('/.well-known/openid-configuration').set('PRIVATE-TOKEN', token).expect(200);
    await api.http.get('/oauth/discovery/keys').set('PRIVATE-TOKEN', token).expect(200);
  });

  it('a scope check comes after authentication: an unknown token is still 401', async () => {
    const response = await client(api, 'glpat-not-a-real-token-0000').post(`/projects/${projectId}/pipeline`, { ref: 'main' });
    expect(response.status).toBe(401);
  });

  describe('creating tokens', () => {
    it.each([[['write_api']], [['api', 'root']], [['API']], [['read_registry']]])(
      'refuses scopes %j with 400 as GitLab',
      async (scopes) => {
        const response = await client(api, api.rootToken).post(`/users/${maintainer.id}/personal_access_tokens`, { name: 'bad', scopes });
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ error: 'scopes does not have a valid value' });
      },
    );

    it('stores and returns the scopes asked for', async () => {
      const response = await client(api, api.rootToken)
        .post(`/users/${maintainer.id}/personal_access_tokens`, { name: 'ro', scopes: ['read_api', 'read_user'] })
        .expect(201);
      expect(response.body.scopes).toEqual(['read_api', 'read_user']);
    });
  });

  /** GitLab's `sudo` parameter and `Sudo` header (`API::Helpers#sudo!`, doc/api/rest/authentication.md). */
  describe('sudo', () => {
    let alice: TestUser;
    let rootId: number;
    const adminToken = async (scopes: string[]) =>
      (await client(api, api.rootToken).post(`/users/${rootId}/personal_access_tokens`, { name: 'sudo', scopes }).expect(201)).body
        .token as string;

    beforeAll(async () => {
      alice = await createUser(api, 'alice');
      rootId = (await client(api, api.rootToken).get('/user').expect(200)).body.id;
    });

    it('refuses a non-admin with 403 Must be admin to use sudo', async () => {
      const response = await client(api, maintainer).get('/user').set('Sudo', alice.username);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ message: '403 Forbidden - Must be admin to use sudo' });
    });

    it('refuses an admin token without the sudo scope with insufficient_scope "sudo", not silently as the admin', async () => {
      const token = await adminToken(['api']);
      const before = await pipelines();
      const response = await client(api, token).post(`/projects/${projectId}/pipeline?sudo=${alice.id}`, { ref: 'main' });
      expect(response.status).toBe(403);
      expect(response.body).toEqual(insufficientScope('sudo'));
      expect(await pipelines()).toBe(before);
    });

    it('acts as the named user, by username (any case) or id, with an admin’s sudo-scoped token', async () => {
      const token = await adminToken(['read_api', 'sudo']);
      expect((await client(api, token).get('/user').set('Sudo', alice.username.toUpperCase()).expect(200)).body).toMatchObject({
        id: alice.id,
        is_admin: false,
      });
      expect((await client(api, token).get(`/user?sudo=${alice.id}`).expect(200)).body.id).toBe(alice.id);
      // Alice is no member of the private project: as her, it does not exist.
      await client(api, token).get(`/projects/${projectId}`).set('Sudo', String(alice.id)).expect(404);
    });

    it('still needs the route’s scope: a read_api sudo token writes nothing (GitLab validates the route scopes before sudo)', async () => {
      const before = await pipelines();
      const readOnly = await client(api, await adminToken(['read_api', 'sudo'])).post(`/projects/${projectId}/pipeline?sudo=${alice.id}`, {
        ref: 'main',
      });
      expect(readOnly.status).toBe(403);
      expect(readOnly.body).toMatchObject({ error: 'insufficient_scope' });
      const sudoOnly = await client(api, await adminToken(['sudo']))
        .get('/user')
        .set('Sudo', alice.username);
      expect(sudoOnly.status).toBe(403);
      expect(await pipelines()).toBe(before);
    });

    it('refuses a sudo parameter of another shape instead of ignoring it', async () => {
      const token = await adminToken(['api', 'sudo']);
      const response = await client(api, token).get(`/user?sudo[]=${alice.id}`);
      expect(response.status).toBe(400);
    });

    it('answers 404 for an unknown user, and 403 for a blocked one', async () => {
      const token = await adminToken(['api', 'sudo']);
      const unknown = await client(api, token).get('/user').set('Sudo', 'nobody-at-all');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: "404 User with ID or username 'nobody-at-all' Not Found" });
      const blocked = await createUser(api, 'blocked');
      await client(api, api.rootToken).post(`/users/${blocked.id}/block`).expect(201);
      const response = await client(api, token).get('/user').set('Sudo', blocked.username);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ message: '403 Forbidden - Your account has been blocked.' });
    });
  });
});
