import { DataSource } from 'typeorm';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { CiFixture, createCiFixture } from './support/ci-fixtures';

const CONFIG = 'stages: [build, test]\ncompile:\n  stage: build\n  script: make\nunit:\n  stage: test\n  script: make test\n';
/** GitLab's `Chain::Validate::Abilities` message for a ref the caller may not write. */
const refRefused = (ref: string) => ({
  message: {
    base: [
      `You do not have sufficient permission to run a pipeline on '${ref}'. Please select a different branch or contact your administrator for assistance.`,
    ],
  },
});

describe('Pipelines API: who may create and read pipelines', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let reporter: TestUser;
  let guest: TestUser;
  let outsider: TestUser;
  let base: string;

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, CONFIG);
    base = `/projects/${fixture.projectId}`;
    [developer, reporter, guest, outsider] = await Promise.all(['dev', 'rep', 'guest', 'out'].map((prefix) => createUser(api, prefix)));
    for (const [user, level] of [
      [developer, 30],
      [reporter, 20],
      [guest, 10],
    ] as const) {
      await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, user, level);
    }
    const as = client(api, fixture.maintainer);
    for (const branch of ['feature', 'release/1.0', 'stable'])
      await as.post(`${base}/repository/branches`, { branch, ref: 'main' }).expect(201);
    // `main` is protected with push and merge for maintainers since its first commit (the default branch protection).
    await as.post(`${base}/protected_branches`, { name: 'release/*', push_access_level: 40, merge_access_level: 40 }).expect(201);
    await as.post(`${base}/protected_branches`, { name: 'stable', push_access_level: 40, merge_access_level: 30 }).expect(201);
  });

  afterAll(() => api.close());

  const create = (who: TestUser, ref: string) => client(api, who).post(`${base}/pipeline`, { ref });

  describe('creating', () => {
    it('lets a developer run a pipeline on an unprotected branch', async () => {
      const created = await create(developer, 'feature').expect(201);
      expect(created.body).toMatchObject({ ref: 'feature', status: 'pending', user: expect.objectContaining({ id: developer.id }) });
    });

    it('refuses a developer on a branch only maintainers may push to and merge into, by name or by wildcard', async () => {
      expect((await create(developer, 'main').expect(400)).body).toEqual(refRefused('main'));
      expect((await create(developer, 'release/1.0').expect(400)).body).toEqual(refRefused('release/1.0'));
      const pipelines = await client(api, fixture.maintainer).get(`${base}/pipelines?source=api&per_page=100`).expect(200);
      expect(pipelines.body.filter((p: { ref: string }) => p.ref === 'main' || p.ref === 'release/1.0')).toEqual([]);
    });

    it('lets a developer run a pipeline on a protected branch they may merge into, and marks its jobs protected', async () => {
      const created = await create(developer, 'stable').expect(201);
      expect(created.body).toMatchObject({ ref: 'stable', status: 'pending' });
      const protectedFlags = await api.app
        .get(DataSource)
        .query('SELECT DISTINCT protected FROM ci_builds WHERE pipeline_id = $1', [created.body.id]);
      expect(protectedFlags).toEqual([{ protected: true }]);
    });

    it('refuses a developer on a tag only maintainers may create', async () => {
      const as = client(api, fixture.maintainer);
      await as.post(`${base}/protected_tags`, { name: 'v*', create_access_level: 40 }).expect(201);
      for (const tag_name of ['v1', 'nightly']) await as.post(`${base}/repository/tags`, { tag_name, ref: 'main' }).expect(201);
      expect((await create(developer, 'v1').expect(400)).body).toEqual(refRefused('v1'));
      expect((await create(developer, 'nightly').expect(201)).body).toMatchObject({ ref: 'nightly', tag: true });
      expect((await create(fixture.maintainer, 'v1').expect(201)).body).toMatchObject({ ref: 'v1', tag: true });
    });

    it('checks the ref before the permission, as GitLab does', async () => {
      expect((await create(developer, 'no-such-branch').expect(400)).body).toEqual({ message: { base: ['Reference not found'] } });
    });

    it('answers 403 to reporters and guests, 404 to outsiders of a private project, 401 without a token', async () => {
      expect((await create(reporter, 'feature').expect(403)).body).toEqual({ message: '403 Forbidden' });
      await create(guest, 'feature').expect(403);
      expect((await create(outsider, 'feature').expect(404)).body).toEqual({ message: '404 Project Not Found' });
      expect((await api.http.post(`/api/v4${base}/pipeline`).send({ ref: 'feature' }).expect(401)).body).toEqual({
        message: '401 Unauthorized',
      });
      await api.http
        .post(`/api/v4${base}/pipeline`)
        .set('PRIVATE-TOKEN', 'glpat-not-a-token-000000000')
        .send({ ref: 'feature' })
        .expect(401);
    });
  });

  describe('reading', () => {
    let pipelineId: number;
    let jobId: number;

    beforeAll(async () => {
      pipelineId = (await create(fixture.maintainer, 'feature').expect(201)).body.id;
      jobId = (await client(api, fixture.maintainer).get(`${base}/pipelines/${pipelineId}/jobs`).expect(200)).body[0].id;
    });

    it('lets reporters read pipelines and jobs, and refuses guests, outsiders and anonymous callers', async () => {
      for (const url of [
        `${base}/pipelines`,
        `${base}/pipelines/${pipelineId}`,
        `${base}/pipelines/${pipelineId}/jobs`,
        `${base}/jobs/${jobId}`,
      ]) {
        await client(api, reporter).get(url).expect(200);
        await client(api, guest).get(url).expect(403);
        await client(api, outsider).get(url).expect(404);
        await api.http.get(`/api/v4${url}`).expect(401);
      }
    });

    it("answers 404 for another project's pipeline or job, even to someone who can see both projects", async () => {
      const other = await createCiFixture(api, CONFIG, { owner: fixture.maintainer });
      const as = client(api, fixture.maintainer);
      const otherBase = `/projects/${other.projectId}`;
      expect((await as.get(`${otherBase}/pipelines/${pipelineId}`).expect(404)).body).toEqual({ message: '404 Pipeline Not Found' });
      expect((await as.get(`${otherBase}/pipelines/${pipelineId}/jobs`).expect(404)).body).toEqual({ message: '404 Pipeline Not Found' });
      expect((await as.get(`${otherBase}/jobs/${jobId}`).expect(404)).body).toEqual({ message: '404 Job Not Found' });
      expect((await as.get(`${otherBase}/pipelines?source=api`).expect(200)).body).toEqual([]);
    });

    it.each([['999999999'], ['9223372036854775808'], ['99999999999999999999'], ['0'], ['-1']])(
      'answers 404 for the pipeline or job id %s',
      async (id) => {
        const as = client(api, fixture.maintainer);
        expect((await as.get(`${base}/pipelines/${id}`).expect(404)).body).toEqual({ message: '404 Pipeline Not Found' });
        expect((await as.get(`${base}/pipelines/${id}/jobs`).expect(404)).body).toEqual({ message: '404 Pipeline Not Found' });
        expect((await as.get(`${base}/jobs/${id}`).expect(404)).body).toEqual({ message: '404 Job Not Found' });
      },
    );

    it('answers 400 for an id that is not a number', async () => {
      await client(api, fixture.maintainer).get(`${base}/pipelines/abc`).expect(400);
      await client(api, fixture.maintainer).get(`${base}/jobs/1.5`).expect(400);
    });
  });

  describe('pagination', () => {
    it('pages pipelines newest first with GitLab’s headers', async () => {
      const own = await createCiFixture(api, CONFIG, { owner: fixture.maintainer });
      const as = client(api, fixture.maintainer);
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await as.post(`/projects/${own.projectId}/pipeline`, { ref: 'main' }).expect(201)).body.id);

      // The fixture's config commit left a skipped push pipeline; these are the API's.
      const first = await as.get(`/projects/${own.projectId}/pipelines?source=api&per_page=2`).expect(200);
      expect(first.body.map((p: { id: number }) => p.id)).toEqual([ids[2], ids[1]]);
      expect(first.headers).toMatchObject({
        'x-page': '1',
        'x-per-page': '2',
        'x-total': '3',
        'x-total-pages': '2',
        'x-next-page': '2',
        'x-prev-page': '',
      });
      expect(first.headers.link).toContain('rel="next"');
      const second = await as.get(`/projects/${own.projectId}/pipelines?source=api&per_page=2&page=2`).expect(200);
      expect(second.body.map((p: { id: number }) => p.id)).toEqual([ids[0]]);
      expect(second.headers).toMatchObject({ 'x-page': '2', 'x-next-page': '', 'x-prev-page': '1' });
      expect(first.body[0]).toEqual({
        id: ids[2],
        iid: 4,
        project_id: own.projectId,
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        ref: 'main',
        status: 'pending',
        source: 'api',
        name: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        web_url: expect.stringMatching(new RegExp(`/-/pipelines/${ids[2]}$`)),
      });
    });

    it("pages a pipeline's jobs with GitLab's headers", async () => {
      const as = client(api, fixture.maintainer);
      const pipeline = (await create(fixture.maintainer, 'feature').expect(201)).body.id;
      const first = await as.get(`${base}/pipelines/${pipeline}/jobs?per_page=1`).expect(200);
      expect(first.body.map((j: { name: string }) => j.name)).toEqual(['compile']);
      expect(first.headers).toMatchObject({ 'x-total': '2', 'x-total-pages': '2', 'x-next-page': '2' });
      const second = await as.get(`${base}/pipelines/${pipeline}/jobs?per_page=1&page=2`).expect(200);
      expect(second.body.map((j: { name: string }) => j.name)).toEqual(['unit']);
      expect((await as.get(`${base}/pipelines/${pipeline}/jobs?per_page=101`).expect(200)).headers['x-per-page']).toBe('100');
    });
  });
});
