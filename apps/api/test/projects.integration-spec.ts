import { Resources, client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

const PROJECT_NOT_FOUND = { message: '404 Project Not Found' };

describe('Projects API', () => {
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    owner = await createUser(api, 'projects-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser | string) => client(api, user);

  describe('POST /projects', () => {
    it('creates a private project in the caller’s personal namespace with GitLab defaults', async () => {
      const created = await as(owner).post('/projects', { name: 'My Project' }).expect(201);
      expect(created.body).toMatchObject({
        name: 'My Project',
        path: 'my-project',
        path_with_namespace: `${owner.username}/my-project`,
        visibility: 'private',
        build_timeout: 3600,
        default_branch: null,
        empty_repo: true,
        creator_id: owner.id,
        forked_from_project_id: null,
        web_url: `http://lanyard.test/${owner.username}/my-project`,
        namespace: { kind: 'user', path: owner.username, full_path: owner.username, parent_id: null },
      });
    });

    it('creates a project in a group for a maintainer, not for a developer (403) or an outsider (404)', async () => {
      const group = await make.group(owner);
      const [maintainer, developer, outsider] = await Promise.all([createUser(api), createUser(api), createUser(api)]);
      await make.addMember(owner, `groups/${group.id}`, maintainer, 40);
      await make.addMember(owner, `groups/${group.id}`, developer, 30);
      const created = await as(maintainer).post('/projects', { name: 'svc', namespace_id: group.id }).expect(201);
      expect(created.body).toMatchObject({ path_with_namespace: `${group.path}/svc`, namespace: { id: group.id, kind: 'group' } });
      const forbidden = await as(developer).post('/projects', { name: 'dev', namespace_id: group.id }).expect(403);
      expect(forbidden.body.message).toMatch(/^403 Forbidden/);
      const hidden = await as(outsider).post('/projects', { name: 'out', namespace_id: group.id }).expect(404);
      expect(hidden.body).toEqual({ message: '404 Namespace Not Found' });
    });

    it('refuses another user’s personal namespace with 404', async () => {
      const mine = await make.project(owner);
      const other = await createUser(api);
      const response = await as(other).post('/projects', { name: 'x', namespace_id: mine.namespace.id }).expect(404);
      expect(response.body).toEqual({ message: '404 Namespace Not Found' });
    });

    it('rejects a project more visible than its group with 400 naming visibility_level', async () => {
      const group = await make.group(owner, { visibility: 'internal' });
      const response = await as(owner).post('/projects', { name: 'p', namespace_id: group.id, visibility: 'public' }).expect(400);
      expect(response.body).toEqual({ message: { visibility_level: ['public is not allowed in a internal group.'] } });
      const ok = await as(owner).post('/projects', { name: 'p', namespace_id: group.id, visibility: 'internal' }).expect(201);
      expect(ok.body.visibility).toBe('internal');
    });

    it('rejects a path taken in the namespace (case-insensitively, or by a subgroup) with 400', async () => {
      const group = await make.group(owner);
      await make.project(owner, { path: 'api', namespace_id: group.id });
      await make.group(owner, { path: 'team', name: 'team', parent_id: group.id });
      for (const path of ['api', 'API', 'team']) {
        const response = await as(owner).post('/projects', { path, namespace_id: group.id }).expect(400);
        expect(response.body).toEqual({ message: { path: ['has already been taken'] } });
      }
      const elsewhere = await as(owner).post('/projects', { path: 'api' }).expect(201);
      expect(elsewhere.body.path_with_namespace).toBe(`${owner.username}/api`);
    });

    it.each([
      [{}, 'name'],
      [{ path: '-x' }, 'path'],
      [{ name: 'thing.git' }, 'path'],
      [{ name: '...' }, 'path'],
      [{ name: 'x', build_timeout: 599 }, 'build_timeout'],
      [{ name: 'x', namespace_id: 'abc' }, 'namespace_id'],
      [{ name: 'x', visibility: 'secret' }, 'visibility'],
    ])('rejects %j with 400 naming %s', async (body, field) => {
      const response = await as(owner).post('/projects', body).expect(400);
      expect(refusedFields(response.body)).toEqual([field]);
    });

    it('answers 401 without a token', async () => {
      const response = await api.http.post('/api/v4/projects').send({ name: 'x' }).expect(401);
      expect(response.body).toEqual({ message: '401 Unauthorized' });
    });
  });

  describe('GET /projects/:id', () => {
    it('finds a project by id and by URL-encoded full path', async () => {
      const root = await make.group(owner);
      const sub = await make.group(owner, { parent_id: root.id });
      const project = await make.project(owner, { path: 'svc', namespace_id: sub.id });
      const byId = await as(owner).get(`/projects/${project.id}`).expect(200);
      expect(byId.body).toEqual(project);
      const byPath = await as(owner)
        .get(`/projects/${encodeURIComponent(`${root.path}/${sub.path}/svc`)}`)
        .expect(200);
      expect(byPath.body.id).toBe(project.id);
      expect(byPath.body.path_with_namespace).toBe(`${root.path}/${sub.path}/svc`);
      await as(owner)
        .get(`/projects/${encodeURIComponent(`${root.path}/svc`)}`)
        .expect(404);
    });

    it('hides a private project from non-members (404), shows an internal one (200) but does not let them change it (403)', async () => {
      const outsider = await createUser(api);
      const hidden = await make.project(owner);
      expect((await as(outsider).get(`/projects/${hidden.id}`).expect(404)).body).toEqual(PROJECT_NOT_FOUND);
      expect((await as(outsider).put(`/projects/${hidden.id}`, { name: 'x' }).expect(404)).body).toEqual(PROJECT_NOT_FOUND);
      const internal = await make.project(owner, { visibility: 'internal' });
      expect((await as(outsider).get(`/projects/${internal.id}`).expect(200)).body.id).toBe(internal.id);
      expect((await as(outsider).put(`/projects/${internal.id}`, { name: 'x' }).expect(403)).body).toEqual({ message: '403 Forbidden' });
    });

    it.each([
      ['an id beyond bigint', '99999999999999999999', [404]],
      ['a NUL byte', 'abc%00', [400, 404]],
      ['a malformed escape', '%E0%A4%A', [400]],
      ['a bare namespace path', 'someone', [404]],
    ])('answers %s with a JSON 4xx, never a 500', async (_case, id, statuses) => {
      const response = await as(owner).get(`/projects/${id}`);
      expect(statuses).toContain(response.status);
      expect(response.body.message).toEqual(expect.any(String));
    });
  });

  describe('roles inherited down the tree', () => {
    it('makes an owner of the root group maintainer-or-better on a project two levels down', async () => {
      const creator = await createUser(api);
      const rootOwner = await createUser(api);
      const root = await make.group(creator);
      const sub = await make.group(creator, { parent_id: root.id });
      const project = await make.project(creator, { namespace_id: sub.id });
      await make.addMember(creator, `groups/${root.id}`, rootOwner, 50);
      const updated = await as(rootOwner).put(`/projects/${project.id}`, { description: 'from the top' }).expect(200);
      expect(updated.body.description).toBe('from the top');
    });

    it('gives a developer of an ancestor group read access only', async () => {
      const root = await make.group(owner);
      const project = await make.project(owner, { namespace_id: (await make.group(owner, { parent_id: root.id })).id });
      const developer = await createUser(api);
      await make.addMember(owner, `groups/${root.id}`, developer, 30);
      await as(developer).get(`/projects/${project.id}`).expect(200);
      expect((await as(developer).put(`/projects/${project.id}`, { name: 'mine' }).expect(403)).body).toEqual({ message: '403 Forbidden' });
    });

    it('does not let a project member see the private group around it', async () => {
      const group = await make.group(owner);
      const project = await make.project(owner, { namespace_id: group.id });
      const member = await createUser(api);
      await make.addMember(owner, `projects/${project.id}`, member, 40);
      await as(member).get(`/projects/${project.id}`).expect(200);
      expect((await as(member).get(`/groups/${group.id}`).expect(404)).body).toEqual({ message: '404 Group Not Found' });
    });
  });

  describe('PUT /projects/:id', () => {
    it('bounds build_timeout to 600..2592000 seconds', async () => {
      const project = await make.project(owner);
      for (const value of [599, 2_592_001, 'abc', 600.5]) {
        const response = await as(owner).put(`/projects/${project.id}`, { build_timeout: value }).expect(400);
        expect(refusedFields(response.body)).toEqual(['build_timeout']);
      }
      expect((await as(owner).put(`/projects/${project.id}`, { build_timeout: 600 }).expect(200)).body.build_timeout).toBe(600);
      expect((await as(owner).put(`/projects/${project.id}`, { build_timeout: '2592000' }).expect(200)).body.build_timeout).toBe(2_592_000);
      expect((await as(owner).get(`/projects/${project.id}`).expect(200)).body.build_timeout).toBe(2_592_000);
    });

    it('lets maintainers update, not developers (403)', async () => {
      const project = await make.project(owner);
      const [maintainer, developer] = await Promise.all([createUser(api), createUser(api)]);
      await make.addMember(owner, `projects/${project.id}`, maintainer, 40);
      await make.addMember(owner, `projects/${project.id}`, developer, 30);
      expect((await as(developer).put(`/projects/${project.id}`, { description: 'dev' }).expect(403)).body).toEqual({
        message: '403 Forbidden',
      });
      expect((await as(maintainer).put(`/projects/${project.id}`, { description: 'Maintained' }).expect(200)).body.description).toBe(
        'Maintained',
      );
    });

    it('lets a maintainer change the other settings: description, build_timeout and the ci_* ones', async () => {
      const project = await make.project(owner);
      const maintainer = await createUser(api);
      await make.addMember(owner, `projects/${project.id}`, maintainer, 40);
      const settings = {
        description: 'kept by a maintainer',
        build_timeout: 900,
        ci_opt_in_jwt: false,
        ci_id_token_sub_claim_components: ['project_path', 'ref_type', 'ref', 'environment'],
        ci_pipeline_variables_minimum_override_role: 'maintainer',
      };
      expect((await as(maintainer).put(`/projects/${project.id}`, settings).expect(200)).body).toMatchObject(settings);
    });

    describe('visibility, name and path are an owner’s (GitLab’s change_visibility_level and rename_project)', () => {
      const CHANGES = [
        ['visibility', { visibility: 'public' }],
        ['name', { name: 'Renamed by a maintainer' }],
        ['path', { path: 'renamed-by-a-maintainer' }],
        ['visibility beside a setting a maintainer may change', { visibility: 'internal', build_timeout: 900 }],
      ] as const;

      it.each(CHANGES)('refuses a maintainer who is not an owner changing %s (403), and changes nothing', async (_field, change) => {
        const group = await make.group(owner);
        const project = await make.project(owner, { namespace_id: group.id });
        const maintainer = await createUser(api);
        await make.addMember(owner, `groups/${group.id}`, maintainer, 40);
        expect((await as(maintainer).put(`/projects/${project.id}`, change).expect(403)).body).toEqual({ message: '403 Forbidden' });
        expect((await as(owner).get(`/projects/${project.id}`).expect(200)).body).toMatchObject({
          visibility: 'private',
          name: project.path,
          path: project.path,
          build_timeout: 3600,
        });
      });

      it.each(CHANGES)(
        'lets an owner of the project, of a group above it, of the personal namespace and an admin change %s',
        async (_field, change) => {
          const projectOwner = await createUser(api);
          // A public group each (public allows any visibility), so that the same new path is free for every case.
          const groups: { id: number }[] = [];
          const inGroup = async () => {
            groups.push(await make.group(owner, { visibility: 'public' }));
            return make.project(owner, { namespace_id: groups[groups.length - 1].id });
          };
          const direct = await inGroup();
          await make.addMember(owner, `projects/${direct.id}`, projectOwner, 50);
          const cases: [TestUser | string, { id: number }][] = [
            [projectOwner, direct],
            [owner, await inGroup()],
            [owner, await make.project(owner)],
            [api.rootToken, await inGroup()],
          ];
          for (const [who, project] of cases)
            expect((await as(who).put(`/projects/${project.id}`, change).expect(200)).body).toMatchObject(change);
          // Everyone sees a public group: none is left behind for the GET /groups tests that share the database.
          for (const group of groups) await as(owner).delete(`/groups/${group.id}`).expect(202);
        },
      );
    });

    it('keeps a project no more visible than its group, and rejects a default branch that does not exist', async () => {
      const group = await make.group(owner, { visibility: 'internal' });
      const project = await make.project(owner, { namespace_id: group.id });
      const response = await as(owner).put(`/projects/${project.id}`, { visibility: 'public' }).expect(400);
      expect(refusedFields(response.body)).toEqual(['visibility_level']);
      await as(owner).put(`/projects/${project.id}`, { visibility: 'internal' }).expect(200);
      const branch = await as(owner).put(`/projects/${project.id}`, { default_branch: 'nope' }).expect(400);
      expect(branch.body).toEqual({ message: { default_branch: ['must be an existing branch'] } });
    });
  });

  describe('lists', () => {
    it('paginates a group’s projects with GitLab headers, newest first', async () => {
      const group = await make.group(owner);
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await make.project(owner, { namespace_id: group.id }));
      const first = await as(owner).get(`/groups/${group.id}/projects?per_page=2`).expect(200);
      expect(first.body.map((p: { id: number }) => p.id)).toEqual([made[2].id, made[1].id]);
      expect(first.headers).toMatchObject({ 'x-page': '1', 'x-per-page': '2', 'x-next-page': '2', 'x-total': '3', 'x-total-pages': '2' });
      expect(first.headers.link).toMatch(/<http:\/\/[^>]+\/api\/v4\/groups\/\d+\/projects\?per_page=2&page=2>; rel="next"/);
      const second = await as(owner).get(`/groups/${group.id}/projects?per_page=2&page=2`).expect(200);
      expect(second.body.map((p: { id: number }) => p.id)).toEqual([made[0].id]);
      // GitLab reads a page size above 100 as 100 (issue 18 item 9).
      const capped = await as(owner).get(`/groups/${group.id}/projects?per_page=101`).expect(200);
      expect([capped.headers['x-per-page'], capped.body.length]).toEqual(['100', 3]);
      await as(owner).get(`/projects?page=0`).expect(400);
    });

    it('lists only visible projects to a user and every project to an admin', async () => {
      const other = await createUser(api);
      const hidden = await make.project(owner);
      const mine = await make.project(other);
      const list = await as(other).get('/projects?per_page=100').expect(200);
      const ids = list.body.map((p: { id: number }) => p.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(hidden.id);
      const admin = await as(api.rootToken).get('/projects?per_page=100').expect(200);
      expect(Number(admin.headers['x-total'])).toBeGreaterThanOrEqual(2);
      expect((await as(api.rootToken).get(`/projects/${hidden.id}`).expect(200)).body.id).toBe(hidden.id);
    });
  });
});
