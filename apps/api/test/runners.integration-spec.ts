import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RunnersController } from '../src/runners/runners.controller';
import { Resources, client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe(RunnersController.name, () => {
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    owner = await createUser(api, 'runner-owner');
  });

  afterAll(() => api.close());

  const create = (who: TestUser | string, body: object) => client(api, who).post('/user/runners', body);
  const verify = (body: unknown) => api.http.post('/api/v4/runners/verify').send(body as object);

  describe('POST /user/runners', () => {
    it('answers 401 without a personal access token and with an unknown one', async () => {
      await api.http.post('/api/v4/user/runners').send({ runner_type: 'instance_type' }).expect(401);
      await create('glpat-not-a-real-token-000000000', { runner_type: 'instance_type' }).expect(401);
    });

    it('creates an instance runner for an admin and refuses anyone else with 403', async () => {
      const created = await create(api.rootToken, { runner_type: 'instance_type', description: 'shared' }).expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        token: expect.stringMatching(/^glrt-[A-Za-z0-9_-]{20,}$/),
        token_expires_at: null,
      });
      await create(owner, { runner_type: 'instance_type' }).expect(403);
      await create(owner, { runner_type: 'project_type', project_id: (await make.project(owner)).id, gitlab_hosted: true }).expect(403);
    });

    it('stores only the SHA-256 digest of the token', async () => {
      const project = await make.project(owner);
      const created = await create(owner, { runner_type: 'project_type', project_id: project.id }).expect(201);
      const rows: Record<string, unknown>[] = await api.app
        .get(DataSource)
        .query('SELECT * FROM ci_runners WHERE id = $1', [created.body.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        token_digest: sha256(created.body.token),
        runner_type: 'project_type',
        project_id: project.id,
        namespace_id: null,
      });
      expect(JSON.stringify(rows[0])).not.toContain(created.body.token);
    });

    it('gives every runner its own token', async () => {
      const project = await make.project(owner);
      const tokens = new Set<string>();
      for (let i = 0; i < 3; i++)
        tokens.add((await create(owner, { runner_type: 'project_type', project_id: project.id }).expect(201)).body.token);
      expect(tokens.size).toBe(3);
    });

    describe('group_type', () => {
      it('lets the owner of group_id create one, also an owner inherited from the parent group', async () => {
        const group = await make.group(owner, { visibility: 'private' });
        const subgroup = await make.group(owner, { parent_id: group.id, visibility: 'private' });
        const created = await create(owner, { runner_type: 'group_type', group_id: group.id }).expect(201);
        await create(owner, { runner_type: 'group_type', group_id: subgroup.id }).expect(201);
        const [row] = await api.app
          .get(DataSource)
          .query('SELECT namespace_id, project_id FROM ci_runners WHERE id = $1', [created.body.id]);
        expect(row).toEqual({ namespace_id: group.id, project_id: null });
      });

      it('answers 403 to a maintainer of the group and 404 to an outsider of a private group', async () => {
        const group = await make.group(owner, { visibility: 'private' });
        const maintainer = await createUser(api, 'group-maint');
        const outsider = await createUser(api, 'outsider');
        await make.addMember(owner, `groups/${group.id}`, maintainer, 40);
        await create(maintainer, { runner_type: 'group_type', group_id: group.id }).expect(403);
        const hidden = await create(outsider, { runner_type: 'group_type', group_id: group.id }).expect(404);
        expect(hidden.body).toEqual({ message: '404 Group Not Found' });
        await create(owner, { runner_type: 'group_type', group_id: 99_999_999 }).expect(404);
      });

      it('does not take a personal namespace for a group', async () => {
        const project = await make.project(owner);
        await create(owner, { runner_type: 'group_type', group_id: project.namespace.id }).expect(404);
      });

      it.each([
        ['missing', {}],
        ['not a number', { group_id: 'abc' }],
        ['zero', { group_id: 0 }],
      ])('answers 400 naming group_id when it is %s', async (_, body) => {
        const response = await create(owner, { runner_type: 'group_type', ...body }).expect(400);
        expect(refusedFields(response.body)).toEqual(['group_id']);
      });
    });

    describe('project_type', () => {
      it('lets a maintainer create one and refuses a developer with 403 and a non-member of a private project with 404', async () => {
        const project = await make.project(owner, { visibility: 'private' });
        const [maintainer, developer, outsider] = await Promise.all(['maint', 'dev', 'out'].map((prefix) => createUser(api, prefix)));
        await make.addMember(owner, `projects/${project.id}`, maintainer, 40);
        await make.addMember(owner, `projects/${project.id}`, developer, 30);
        await create(maintainer, { runner_type: 'project_type', project_id: project.id }).expect(201);
        await create(developer, { runner_type: 'project_type', project_id: project.id }).expect(403);
        const hidden = await create(outsider, { runner_type: 'project_type', project_id: project.id }).expect(404);
        expect(hidden.body).toEqual({ message: '404 Project Not Found' });
      });

      it('answers 400 naming project_id when it is missing, and 400 for an unknown runner_type', async () => {
        const missing = await create(owner, { runner_type: 'project_type' }).expect(400);
        expect(refusedFields(missing.body)).toEqual(['project_id']);
        const unknown = await create(owner, { runner_type: 'cluster_type' }).expect(400);
        expect(refusedFields(unknown.body)).toEqual(['runner_type']);
        await create(owner, { runner_type: 'project_type', project_id: '99999999999999999999' }).expect(400);
      });
    });

    it.each([
      ['a description with a NUL byte', { runner_type: 'instance_type', description: 'a\u0000b' }],
      ['a description over 1024 characters', { runner_type: 'instance_type', description: 'd'.repeat(1025) }],
      ['a group_id beyond bigint', { runner_type: 'group_type', group_id: 1e20 }],
      ['a negative project_id', { runner_type: 'project_type', project_id: -1 }],
      ['a non-boolean gitlab_hosted', { runner_type: 'instance_type', gitlab_hosted: 'maybe' }],
      ['a maximum_timeout that is not an integer', { runner_type: 'instance_type', maximum_timeout: 'an hour' }],
      ['a maximum_timeout beyond integer', { runner_type: 'instance_type', maximum_timeout: 1e12 }],
    ])('answers 400, never 500, to %s', async (_, body) => {
      await create(api.rootToken, body).expect(400);
    });
  });

  describe('POST /runners/verify', () => {
    it('answers 200 for a valid token without any personal access token', async () => {
      const project = await make.project(owner);
      const created = await create(owner, { runner_type: 'project_type', project_id: project.id }).expect(201);
      const verified = await verify({ token: created.body.token }).expect(200);
      expect(verified.body).toMatchObject({ id: created.body.id, token: created.body.token });
    });

    it('answers 403 for an unknown or paused runner and 400 for a malformed body', async () => {
      await verify({ token: 'glrt-unknown-token' }).expect(403);
      const project = await make.project(owner);
      const created = await create(owner, { runner_type: 'project_type', project_id: project.id }).expect(201);
      await api.app.get(DataSource).query('UPDATE ci_runners SET active = false WHERE id = $1', [created.body.id]);
      await verify({ token: created.body.token }).expect(403);
      await verify({}).expect(400);
      await verify({ token: 42 }).expect(400);
      await verify({ token: 'x'.repeat(100_000) }).expect(400);
    });
  });

  describe('maximum_timeout, GET and PUT /runners/:id', () => {
    const runnerOf = async (body: object = {}) => {
      const project = await make.project(owner, { visibility: 'private' });
      const created = await create(owner, { runner_type: 'project_type', project_id: project.id, ...body }).expect(201);
      return { projectId: project.id, id: created.body.id as number };
    };

    it('keeps the maximum_timeout given at creation and shows it with the runner, as GitLab', async () => {
      const { id } = await runnerOf({ maximum_timeout: 900, description: 'capped' });
      const shown = await client(api, owner).get(`/runners/${id}`).expect(200);
      expect(shown.body).toEqual({
        id,
        description: 'capped',
        ip_address: null,
        active: true,
        paused: false,
        is_shared: false,
        runner_type: 'project_type',
        name: null,
        online: false,
        status: 'never_contacted',
        created_at: expect.any(String),
        contacted_at: null,
        tag_list: [],
        run_untagged: true,
        locked: false,
        maximum_timeout: 900,
      });
      expect(
        (
          await client(api, owner)
            .get(`/runners/${(await runnerOf()).id}`)
            .expect(200)
        ).body.maximum_timeout,
      ).toBeNull();
    });

    // GitLab's Ci::Runner: `validates :maximum_timeout, numericality: { greater_than_or_equal_to: 600, message: 'needs to be at least 10 minutes' }`.
    it("refuses a maximum_timeout under 10 minutes with GitLab's message, at creation and update", async () => {
      const created = await create(owner, {
        runner_type: 'project_type',
        project_id: (await make.project(owner)).id,
        maximum_timeout: 599,
      }).expect(400);
      expect(created.body).toEqual({ message: { maximum_timeout: ['needs to be at least 10 minutes'] } });
      const { id } = await runnerOf({ maximum_timeout: 600 });
      const updated = await client(api, owner).put(`/runners/${id}`, { maximum_timeout: 60 }).expect(400);
      expect(updated.body).toEqual({ message: { maximum_timeout: ['needs to be at least 10 minutes'] } });
    });

    it('updates maximum_timeout (null removes it), description and paused', async () => {
      const { id } = await runnerOf({ maximum_timeout: 900 });
      const updated = await client(api, owner).put(`/runners/${id}`, { maximum_timeout: 1800, description: 'bigger' }).expect(200);
      expect(updated.body).toMatchObject({ id, maximum_timeout: 1800, description: 'bigger', paused: false });
      expect((await client(api, owner).put(`/runners/${id}`, { maximum_timeout: null, paused: true }).expect(200)).body).toMatchObject({
        maximum_timeout: null,
        active: false,
        paused: true,
      });
      expect((await client(api, owner).get(`/runners/${id}`).expect(200)).body).toMatchObject({ maximum_timeout: null, paused: true });
    });

    it('answers 400 to an update with no attribute, 404 to an unknown runner', async () => {
      const { id } = await runnerOf();
      const empty = await client(api, owner).put(`/runners/${id}`, {}).expect(400);
      expect(empty.body).toEqual({
        error:
          'description, active, paused, tag_list, run_untagged, locked, maximum_timeout are missing, at least one parameter must be provided',
      });
      expect((await client(api, owner).get('/runners/999999999').expect(404)).body).toEqual({ message: '404 Runner Not Found' });
      await client(api, owner).put('/runners/999999999', { maximum_timeout: 900 }).expect(404);
    });

    it("lets only the project's maintainers (and admins) see or change a project runner, anyone signed in see an instance runner", async () => {
      const { projectId, id } = await runnerOf({ maximum_timeout: 900 });
      const [maintainer, developer, outsider] = await Promise.all(['maint', 'dev', 'out'].map((prefix) => createUser(api, prefix)));
      await make.addMember(owner, `projects/${projectId}`, maintainer, 40);
      await make.addMember(owner, `projects/${projectId}`, developer, 30);
      await client(api, maintainer).put(`/runners/${id}`, { maximum_timeout: 1200 }).expect(200);
      for (const who of [developer, outsider]) {
        expect((await client(api, who).get(`/runners/${id}`).expect(403)).body).toEqual({ message: '403 Forbidden - No access granted' });
        await client(api, who).put(`/runners/${id}`, { maximum_timeout: 3600 }).expect(403);
      }
      await client(api, api.rootToken).put(`/runners/${id}`, { maximum_timeout: 3600 }).expect(200);
      const shared = await create(api.rootToken, { runner_type: 'instance_type' }).expect(201);
      expect((await client(api, outsider).get(`/runners/${shared.body.id}`).expect(200)).body).toMatchObject({ is_shared: true });
      await client(api, outsider).put(`/runners/${shared.body.id}`, { maximum_timeout: 3600 }).expect(403);
      await client(api, outsider).get(`/runners/${id}`).set('PRIVATE-TOKEN', '').expect(401);
    });
  });
});
