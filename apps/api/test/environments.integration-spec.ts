import { DataSource } from 'typeorm';
import { DeployAccessService } from '../src/environments/deploy-access.service';
import { EnvironmentError } from '../src/environments/environment-errors';
import { EnvironmentsService } from '../src/environments/environments.service';
import { answerFor } from '../src/http-errors/error-table';
import { Resources, client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

const NAME_MESSAGE = "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'";
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('Environments API', () => {
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;
  let projectId: number;
  let base: string;

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    owner = await createUser(api, 'env-owner');
  });

  afterAll(() => api.close());

  beforeEach(async () => {
    projectId = (await make.project(owner)).id;
    base = `/projects/${projectId}`;
  });

  const as = (user: TestUser) => client(api, user);

  describe('environments', () => {
    it('creates, shows and lists environments in GitLab’s shape', async () => {
      const created = await as(owner).post(`${base}/environments`, { name: 'staging', tier: 'testing' }).expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        name: 'staging',
        slug: 'staging',
        external_url: null,
        state: 'available',
        tier: 'testing',
        created_at: expect.stringMatching(ISO_DATE),
        updated_at: created.body.created_at,
      });
      const shown = await as(owner).get(`${base}/environments/${created.body.id}`).expect(200);
      expect(shown.body).toEqual(created.body);

      await as(owner).post(`${base}/environments`, { name: 'review/Feature-1' }).expect(201);
      const listed = await as(owner).get(`${base}/environments?per_page=1`).expect(200);
      expect(listed.body).toEqual([created.body]);
      expect(listed.headers).toMatchObject({ 'x-total': '2', 'x-next-page': '2' });
      const byName = await as(owner)
        .get(`${base}/environments?name=${encodeURIComponent('review/Feature-1')}`)
        .expect(200);
      expect(byName.body.map((e: { slug: string }) => e.slug)).toEqual([expect.stringMatching(/^review-feature-1-[a-z0-9]{6}$/)]);
      await as(owner)
        .get(`${base}/environments?name=${encodeURIComponent('a\u0000b')}`)
        .expect(200, []);
    });

    it.each([
      ['production', 'production'],
      ['review/x', 'development'],
      ['sandbox', 'other'],
    ])('guesses the tier of %j as %s when none is given', async (name, tier) => {
      const created = await as(owner).post(`${base}/environments`, { name }).expect(201);
      expect(created.body.tier).toBe(tier);
    });

    it('rejects a duplicate name as GitLab does', async () => {
      await as(owner).post(`${base}/environments`, { name: 'production' }).expect(201);
      const duplicate = await as(owner).post(`${base}/environments`, { name: 'production', tier: 'staging' }).expect(400);
      expect(duplicate.body).toEqual({ message: { name: ['has already been taken'] } });
    });

    it.each([
      [{ name: '' }, { name: ["can't be blank"] }],
      [{ name: '   ' }, { name: ["can't be blank"] }],
      [{ name: '/production' }, { name: [NAME_MESSAGE] }],
      [{ name: 'review/' }, { name: [NAME_MESSAGE] }],
      [{ name: 'prod:eu' }, { name: [NAME_MESSAGE] }],
      [{ name: 'a\u0000b' }, { name: [NAME_MESSAGE] }],
      [{ name: ['production'] }, { name: ["can't be blank"] }],
      [{ name: 'x'.repeat(256) }, { name: ['is too long (maximum is 255 characters)'] }],
      [{ name: 'ok', tier: 'prod' }, { tier: ['must be one of production, staging, testing, development, other'] }],
    ])('rejects %j with a 400 naming the field', async (body, message) => {
      const response = await as(owner).post(`${base}/environments`, body).expect(400);
      expect(response.body).toEqual({ message });
    });

    it('answers a missing name as Grape does', async () => {
      expect((await as(owner).post(`${base}/environments`, {}).expect(400)).body).toEqual({ error: 'name is missing' });
    });

    it('answers an unknown or impossible environment id with a 404 or 400, never a 500', async () => {
      const other = await make.project(owner);
      const foreign = await as(owner).post(`/projects/${other.id}/environments`, { name: 'production' }).expect(201);
      const missing = await as(owner).get(`${base}/environments/${foreign.body.id}`).expect(404);
      expect(missing.body).toEqual({ message: '404 Not found' });
      await as(owner).get(`${base}/environments/99999999999999999999`).expect(404);
      await as(owner).get(`${base}/environments/abc`).expect(400);
    });

    it('lets reporters read and developers create; hides a private project from outsiders', async () => {
      const [reporter, developer, outsider] = await Promise.all([createUser(api), createUser(api), createUser(api)]);
      await make.addMember(owner, `projects/${projectId}`, reporter, 20);
      await make.addMember(owner, `projects/${projectId}`, developer, 30);
      const created = await as(developer).post(`${base}/environments`, { name: 'dev' }).expect(201);
      await as(reporter).get(`${base}/environments/${created.body.id}`).expect(200);
      await as(reporter).post(`${base}/environments`, { name: 'other' }).expect(403);
      const hidden = await as(outsider).get(`${base}/environments`).expect(404);
      expect(hidden.body).toEqual({ message: '404 Project Not Found' });
      await api.http.get(`/api/v4${base}/environments`).expect(401);
    });
  });

  describe('protected environments', () => {
    const protect = (body: object) => as(owner).post(`${base}/protected_environments`, body);

    it('protects, shows, lists and unprotects an environment in GitLab’s shape', async () => {
      const created = await protect({
        name: 'production',
        deploy_access_levels: [{ access_level: 40 }],
        required_approval_count: 0,
      }).expect(201);
      expect(created.body).toEqual({
        name: 'production',
        deploy_access_levels: [
          {
            id: expect.any(Number),
            access_level: 40,
            access_level_description: 'Maintainers',
            user_id: null,
            group_id: null,
            group_inheritance_type: 0,
          },
        ],
        required_approval_count: 0,
        approval_rules: [],
      });
      await protect({ name: 'review/app', deploy_access_levels: [{ access_level: '30' }] }).expect(201);
      await protect({ name: 'canary', deploy_access_levels: [{ access_level: 30 }] }).expect(201);

      const listed = await as(owner).get(`${base}/protected_environments`).expect(200);
      expect(listed.body.map((rule: { name: string }) => rule.name)).toEqual(['canary', 'production', 'review/app']);
      const shown = await as(owner)
        .get(`${base}/protected_environments/${encodeURIComponent('review/app')}`)
        .expect(200);
      expect(shown.body.deploy_access_levels[0]).toMatchObject({ access_level: 30, access_level_description: 'Developers + Maintainers' });

      await as(owner).delete(`${base}/protected_environments/production`).expect(204);
      const gone = await as(owner).get(`${base}/protected_environments/production`).expect(404);
      expect(gone.body).toEqual({ message: '404 Not found' });
      await as(owner).delete(`${base}/protected_environments/production`).expect(404);
      await as(owner)
        .get(`${base}/protected_environments/${encodeURIComponent('a\u0000b')}`)
        .expect(404);
    });

    it('keeps every deploy rule, as GitLab (anyone one of them admits may deploy)', async () => {
      const created = await protect({
        name: 'production',
        deploy_access_levels: [{ access_level: 30 }, { access_level: 60 }, { access_level: 40 }],
      }).expect(201);
      expect(created.body.deploy_access_levels.map((rule: { access_level: number }) => rule.access_level)).toEqual([30, 60, 40]);
    });

    it('answers a second protection of one name with GitLab’s 409', async () => {
      await protect({ name: 'production', deploy_access_levels: [{ access_level: 40 }] }).expect(201);
      const duplicate = await protect({ name: 'production', deploy_access_levels: [{ access_level: 30 }] }).expect(409);
      expect(duplicate.body).toEqual({ message: "Protected environment 'production' already exists" });
    });

    it.each([
      [{ name: 'production' }, 'deploy_access_levels'],
      [{ name: 'production', deploy_access_levels: [] }, 'deploy_access_levels'],
      [{ name: 'production', deploy_access_levels: { access_level: 40 } }, 'deploy_access_levels'],
      [{ name: 'production', deploy_access_levels: [null] }, 'deploy_access_levels.0'],
      [{ name: 'production', deploy_access_levels: ['40'] }, 'deploy_access_levels.0'],
      [{ name: 'production', deploy_access_levels: [{ access_level: 35 }] }, 'deploy_access_levels.0.access_level'],
      [{ name: 'production', deploy_access_levels: [{ access_level: 40 }, {}] }, 'deploy_access_levels.1.access_level'],
      [{ name: '', deploy_access_levels: [{ access_level: 40 }] }, 'name'],
      [{ name: 'prod/', deploy_access_levels: [{ access_level: 40 }] }, 'name'],
      [{ deploy_access_levels: [{ access_level: 40 }] }, 'name'],
    ])('rejects %j with a 400 naming %s', async (body, field) => {
      const response = await protect(body).expect(400);
      expect(refusedFields(response.body)).toEqual([field]);
    });

    it('is for maintainers: developers get 403, outsiders 404, anonymous 401', async () => {
      const [maintainer, developer, outsider] = await Promise.all([createUser(api), createUser(api), createUser(api)]);
      await make.addMember(owner, `projects/${projectId}`, maintainer, 40);
      await make.addMember(owner, `projects/${projectId}`, developer, 30);
      const rule = { name: 'production', deploy_access_levels: [{ access_level: 40 }] };
      await as(maintainer).post(`${base}/protected_environments`, rule).expect(201);
      const forbidden = await as(developer).get(`${base}/protected_environments`).expect(403);
      expect(forbidden.body).toEqual({ message: '403 Forbidden' });
      await as(developer)
        .post(`${base}/protected_environments`, { ...rule, name: 'staging' })
        .expect(403);
      await as(developer).delete(`${base}/protected_environments/production`).expect(403);
      await as(outsider).get(`${base}/protected_environments/production`).expect(404);
      await api.http.get(`/api/v4${base}/protected_environments`).expect(401);
    });
  });

  describe('EnvironmentsService for pipelines', () => {
    const service = () => api.app.get(EnvironmentsService);
    const dataSource = () => api.app.get(DataSource);

    it('creates an environment on first use inside the caller’s transaction and never changes its tier', async () => {
      const first = await dataSource().transaction((tx) => service().ensure(tx, projectId, 'review/mr-1', 'development'));
      expect(first).toMatchObject({ projectId, name: 'review/mr-1', tier: 'development' });
      const again = await dataSource().transaction((tx) => service().ensure(tx, projectId, 'review/mr-1', 'production'));
      expect(again).toEqual(first);
      const shown = await as(owner).get(`${base}/environments/${first.id}`).expect(200);
      expect(shown.body.tier).toBe('development');
    });

    it('creates nothing when the caller’s transaction rolls back', async () => {
      await expect(
        dataSource().transaction(async (tx) => {
          await service().ensure(tx, projectId, 'production', 'production');
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await as(owner).get(`${base}/environments`).expect(200, []);
    });

    it('gives two concurrent first uses of one name the same environment', async () => {
      const ensure = () => dataSource().transaction((tx) => service().ensure(tx, projectId, 'production', 'production'));
      const [a, b] = await Promise.all([ensure(), ensure()]);
      expect(a.id).toBe(b.id);
      const listed = await as(owner).get(`${base}/environments`).expect(200);
      expect(listed.body.map((e: { id: number }) => e.id)).toEqual([a.id]);
    });

    // The embedded database has one connection, so a transaction cannot wait on another there.
    const withSeveralConnections = Number(process.env.LANYARD_TEST_POOL_SIZE ?? 4) > 1 ? it : it.skip;

    withSeveralConnections('makes a second creator wait for the first one’s commit and return its row', async () => {
      let commitFirst!: () => void;
      let firstInserted!: () => void;
      const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
      const first = dataSource().transaction(async (tx) => {
        const environment = await service().ensure(tx, projectId, 'staging', 'staging');
        firstInserted();
        await new Promise<void>((resolve) => (commitFirst = resolve));
        return environment;
      });
      await inserted;
      const second = dataSource().transaction((tx) => service().ensure(tx, projectId, 'staging', 'other'));
      await waitForLockWait(dataSource());
      commitFirst();
      const [a, b] = await Promise.all([first, second]);
      expect(b).toEqual(a);
    });

    it('refuses a name GitLab would not accept', async () => {
      const refusal: unknown = await dataSource()
        .transaction((tx) => service().ensure(tx, projectId, 'review/', 'development'))
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(EnvironmentError);
      expect(answerFor(refusal as EnvironmentError)).toMatchObject({ status: 400, body: { message: { name: [NAME_MESSAGE] } } });
    });

    it('tells whether an exact environment name is protected', async () => {
      await as(owner)
        .post(`${base}/protected_environments`, { name: 'production', deploy_access_levels: [{ access_level: 40 }] })
        .expect(201);
      const decide = (id: number, name: string) =>
        dataSource().transaction(
          async (tx) =>
            (await api.app.get(DeployAccessService).decide(tx, { projectId: id, namespaceTraversalIds: [] }, null, name)).protected,
        );
      expect(await decide(projectId, 'production')).toBe(true);
      expect(await decide(projectId, 'Production')).toBe(false);
      expect(await decide(projectId, 'production-eu')).toBe(false);
      const other = await make.project(owner);
      expect(await decide(other.id, 'production')).toBe(false);
    });
  });
});

/** Resolves once some session of this database waits on a lock (the second insert, on the first's row). */
async function waitForLockWait(dataSource: DataSource): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const [{ waiting }] = await dataSource.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the second ensure never waited on the first');
}
