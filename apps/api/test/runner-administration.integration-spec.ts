import { DataSource } from 'typeorm';
import { requestJob } from './support/ci-fixtures';
import { Resources, client, resources } from './support/resources';
import { createRunner } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const DEVELOPER = 30;
const MAINTAINER = 40;
const OWNER = 50;

/** Issue 18, item 7: GitLab's runner lists, `DELETE /runners/:id`, token reset and `locked`. */
describe('runner administration', () => {
  let api: TestApp;
  let make: Resources;
  /** A group with a group runner, a project in it with a project runner, and who holds which role. */
  let tree: {
    owner: TestUser;
    maintainer: TestUser;
    developer: TestUser;
    outsider: TestUser;
    groupId: number;
    projectId: number;
    groupRunner: { id: number; token: string };
    projectRunner: { id: number; token: string };
    instanceRunner: { id: number; token: string };
  };

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    const [owner, maintainer, developer, outsider] = await Promise.all(
      ['owner', 'maintainer', 'developer', 'outsider'].map((name) => createUser(api, `ra-${name}`)),
    );
    const group = await make.group(owner, { visibility: 'private' });
    const project = await make.project(owner, { namespace_id: group.id, visibility: 'private' });
    await make.addMember(owner, `groups/${group.id}`, maintainer, MAINTAINER);
    await make.addMember(owner, `groups/${group.id}`, developer, DEVELOPER);
    tree = {
      owner,
      maintainer,
      developer,
      outsider,
      groupId: group.id,
      projectId: project.id,
      groupRunner: await createRunner(api, owner, { runner_type: 'group_type', group_id: group.id }, { tag_list: ['docker'] }),
      projectRunner: await createRunner(api, maintainer, { runner_type: 'project_type', project_id: project.id }, { description: 'mine' }),
      instanceRunner: await createRunner(api, api.rootToken, { runner_type: 'instance_type' }),
    };
  });

  afterAll(() => api.close());

  const ids = (body: { id: number }[]) => body.map((runner) => runner.id);

  describe('GET /runners', () => {
    it("lists the runners of the caller's projects (maintainer) and groups (owner), in GitLab's shape", async () => {
      const owned = await client(api, tree.owner).get('/runners').expect(200);
      expect(ids(owned.body)).toEqual([tree.groupRunner.id, tree.projectRunner.id]);
      expect(owned.headers['x-total']).toBe('2');
      expect(owned.body[1]).toEqual({
        id: tree.projectRunner.id,
        description: 'mine',
        ip_address: null,
        active: true,
        paused: false,
        is_shared: false,
        runner_type: 'project_type',
        name: null,
        online: false,
        status: 'never_contacted',
      });
      // A group maintainer maintains the project, but owns no group: no group runner.
      expect(ids((await client(api, tree.maintainer).get('/runners').expect(200)).body)).toEqual([tree.projectRunner.id]);
    });

    it('shows a developer and an outsider none of them', async () => {
      expect((await client(api, tree.developer).get('/runners').expect(200)).body).toEqual([]);
      expect((await client(api, tree.outsider).get('/runners').expect(200)).body).toEqual([]);
      await api.http.get('/api/v4/runners').expect(401);
    });

    it('applies type, paused, scope, status and tag_list, and refuses a scope it does not know', async () => {
      const list = async (query: string) => ids((await client(api, tree.owner).get(`/runners?${query}`).expect(200)).body);
      expect(await list('type=group_type')).toEqual([tree.groupRunner.id]);
      expect(await list('tag_list=docker')).toEqual([tree.groupRunner.id]);
      expect(await list('tag_list=docker,gpu')).toEqual([]);
      expect(await list('status=never_contacted')).toEqual([tree.groupRunner.id, tree.projectRunner.id]);
      expect(await list('scope=online')).toEqual([]);
      await client(api, tree.owner).put(`/runners/${tree.groupRunner.id}`, { paused: true }).expect(200);
      try {
        expect(await list('paused=true')).toEqual([tree.groupRunner.id]);
        expect(await list('paused=false')).toEqual([tree.projectRunner.id]);
        expect(await list('scope=paused')).toEqual([tree.groupRunner.id]);
        expect(await list('scope=active')).toEqual([tree.projectRunner.id]);
      } finally {
        await client(api, tree.owner).put(`/runners/${tree.groupRunner.id}`, { paused: false }).expect(200);
      }
      const refused = await client(api, tree.owner).get('/runners?scope=shared').expect(400);
      expect(refused.body).toEqual({ error: 'scope does not have a valid value' });
      await client(api, tree.owner).get('/runners?type=docker').expect(400);
      // A filter GitLab documents that Lanyard cannot apply is refused, not silently ignored.
      expect((await client(api, tree.owner).get('/runners?version_prefix=17').expect(400)).body).toEqual({
        message: { version_prefix: ['is not supported: runner versions are not kept'] },
      });
    });

    it('lists with a read_api token, and refuses it a delete or a reset (insufficient scope)', async () => {
      const readOnly = await api.http
        .post(`/api/v4/users/${tree.maintainer.id}/personal_access_tokens`)
        .set('PRIVATE-TOKEN', api.rootToken)
        .send({ name: 'read', scopes: ['read_api'] })
        .expect(201);
      const reader = readOnly.body.token as string;
      expect(ids((await client(api, reader).get('/runners').expect(200)).body)).toEqual([tree.projectRunner.id]);
      await client(api, reader).get(`/projects/${tree.projectId}/runners`).expect(200);
      await client(api, reader).delete(`/runners/${tree.projectRunner.id}`).expect(403);
      await client(api, reader).post(`/runners/${tree.projectRunner.id}/reset_authentication_token`).expect(403);
      await requestJob(api, tree.projectRunner.token).expect(204);
    });
  });

  describe('GET /runners/all', () => {
    it('lists every runner for an admin, with the legacy shared/specific scopes', async () => {
      const all = ids((await client(api, api.rootToken).get('/runners/all?per_page=100&type=instance_type').expect(200)).body);
      expect(all).toContain(tree.instanceRunner.id);
      const shared = ids((await client(api, api.rootToken).get('/runners/all?scope=shared&per_page=100').expect(200)).body);
      expect(shared).toContain(tree.instanceRunner.id);
      expect(shared).not.toContain(tree.projectRunner.id);
      const specific = ids((await client(api, api.rootToken).get('/runners/all?scope=specific&per_page=100').expect(200)).body);
      expect(specific).not.toContain(tree.instanceRunner.id);
    });

    it('is 403 for anyone else, a group owner included', async () => {
      expect((await client(api, tree.owner).get('/runners/all').expect(403)).body).toEqual({ message: '403 Forbidden' });
      await client(api, tree.developer).get('/runners/all').expect(403);
    });
  });

  describe('GET /projects/:id/runners and /groups/:id/runners', () => {
    it("lists a project's own, its groups' and the instance's runners to a maintainer", async () => {
      const listed = ids((await client(api, tree.maintainer).get(`/projects/${tree.projectId}/runners?per_page=100`).expect(200)).body);
      expect(listed).toEqual(expect.arrayContaining([tree.projectRunner.id, tree.groupRunner.id, tree.instanceRunner.id]));
      const projectOnly = await client(api, tree.maintainer).get(`/projects/${tree.projectId}/runners?type=project_type`).expect(200);
      expect(ids(projectOnly.body)).toEqual([tree.projectRunner.id]);
    });

    it("lists a group's and the instance's runners, not its projects', to a maintainer", async () => {
      const listed = ids((await client(api, tree.maintainer).get(`/groups/${tree.groupId}/runners?per_page=100`).expect(200)).body);
      expect(listed).toEqual(expect.arrayContaining([tree.groupRunner.id, tree.instanceRunner.id]));
      expect(listed).not.toContain(tree.projectRunner.id);
    });

    it('refuses a developer (403) and hides a private project or group from an outsider (404)', async () => {
      await client(api, tree.developer).get(`/projects/${tree.projectId}/runners`).expect(403);
      await client(api, tree.developer).get(`/groups/${tree.groupId}/runners`).expect(403);
      await client(api, tree.outsider).get(`/projects/${tree.projectId}/runners`).expect(404);
      await client(api, tree.outsider).get(`/groups/${tree.groupId}/runners`).expect(404);
    });
  });

  describe('DELETE /runners/:id', () => {
    it('refuses a developer, an outsider and a group maintainer on a group runner, and keeps the runner', async () => {
      const runner = await createRunner(api, tree.maintainer, { runner_type: 'project_type', project_id: tree.projectId });
      expect((await client(api, tree.developer).delete(`/runners/${runner.id}`).expect(403)).body).toEqual({
        message: '403 Forbidden - No access granted',
      });
      await client(api, tree.outsider).delete(`/runners/${runner.id}`).expect(403);
      await client(api, tree.maintainer).delete(`/runners/${tree.groupRunner.id}`).expect(403);
      await api.http.delete(`/api/v4/runners/${runner.id}`).expect(401);
      await api.http.post('/api/v4/runners/verify').send({ token: runner.token }).expect(200);
      await api.http.post('/api/v4/runners/verify').send({ token: tree.groupRunner.token }).expect(200);
    });

    it('deletes for a maintainer (204): the runner is gone and its token refused', async () => {
      const runner = await createRunner(api, tree.maintainer, { runner_type: 'project_type', project_id: tree.projectId });
      await requestJob(api, runner.token).expect(204);
      const answer = await client(api, tree.maintainer).delete(`/runners/${runner.id}`).expect(204);
      expect(answer.text).toBe('');
      await client(api, tree.maintainer).get(`/runners/${runner.id}`).expect(404);
      await client(api, tree.maintainer).delete(`/runners/${runner.id}`).expect(404);
      await requestJob(api, runner.token).expect(403);
      await api.http.post('/api/v4/runners/verify').send({ token: runner.token }).expect(403);
    });

    it('deletes any runner for an admin', async () => {
      const runner = await createRunner(api, tree.owner, { runner_type: 'group_type', group_id: tree.groupId });
      await client(api, api.rootToken).delete(`/runners/${runner.id}`).expect(204);
      expect(await api.app.get(DataSource).query('SELECT id FROM ci_runners WHERE id = $1', [runner.id])).toEqual([]);
    });
  });

  describe('POST /runners/:id/reset_authentication_token', () => {
    it('gives a new token once (201); the old one is refused at once, the new one works', async () => {
      const runner = await createRunner(api, tree.maintainer, { runner_type: 'project_type', project_id: tree.projectId });
      await requestJob(api, runner.token).expect(204); // its session is now cached
      const reset = await client(api, tree.maintainer).post(`/runners/${runner.id}/reset_authentication_token`).expect(201);
      expect(reset.body).toEqual({ token: expect.stringMatching(/^glrt-/), token_expires_at: null });
      expect(reset.body.token).not.toBe(runner.token);
      await requestJob(api, runner.token).expect(403);
      await api.http.post('/api/v4/runners/verify').send({ token: runner.token }).expect(403);
      await requestJob(api, reset.body.token).expect(204);
      expect((await client(api, tree.maintainer).get(`/runners/${runner.id}`).expect(200)).body).not.toHaveProperty('token');
    });

    it('refuses a developer and an outsider, and leaves the token as it was', async () => {
      const runner = await createRunner(api, tree.maintainer, { runner_type: 'project_type', project_id: tree.projectId });
      await client(api, tree.developer).post(`/runners/${runner.id}/reset_authentication_token`).expect(403);
      await client(api, tree.outsider).post(`/runners/${runner.id}/reset_authentication_token`).expect(403);
      await client(api, tree.maintainer).post('/runners/999999999/reset_authentication_token').expect(404);
      await requestJob(api, runner.token).expect(204);
    });
  });

  describe('PUT /runners/:id', () => {
    it('takes locked, with tag_list and run_untagged, and shows them', async () => {
      const runner = await createRunner(api, tree.maintainer, { runner_type: 'project_type', project_id: tree.projectId });
      const updated = await client(api, tree.maintainer)
        .put(`/runners/${runner.id}`, { locked: true, tag_list: 'linux, arm', run_untagged: false })
        .expect(200);
      expect(updated.body).toMatchObject({ locked: true, tag_list: ['linux', 'arm'], run_untagged: false });
      expect((await client(api, tree.maintainer).get(`/runners/${runner.id}`).expect(200)).body).toMatchObject({ locked: true });
      await client(api, tree.maintainer).put(`/runners/${runner.id}`, { locked: 'maybe' }).expect(400);
      await client(api, tree.developer).put(`/runners/${runner.id}`, { locked: false }).expect(403);
    });
  });

  it('an owner of the group can manage its runners (OWNER role)', async () => {
    const subOwner = await createUser(api, 'ra-subowner');
    await make.addMember(tree.owner, `groups/${tree.groupId}`, subOwner, OWNER);
    expect(ids((await client(api, subOwner).get('/runners').expect(200)).body)).toContain(tree.groupRunner.id);
  });
});
