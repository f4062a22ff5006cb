import { createCiFixture, finishJob, CiFixture } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

/** Issue 18 item 9: `GET /projects/:id/pipelines` applies GitLab's filters (`Ci::PipelinesFinder`), or refuses them. */
describe('Pipeline list filters', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let ids: { mainOld: number; mainNew: number; feature: number; tag: number; byOther: number };
  /** The skipped pipelines of the set-up pushes (`[skip ci]`), by ref. */
  let pushed: Record<'main' | 'feature' | 'v1', number>;
  let other: string;
  const list = async (query: string) => {
    const response = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/pipelines?${query}`).expect(200);
    return response.body.map((p: { id: number }) => p.id);
  };

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, 'job:\n  script: [make]\n');
    const as = client(api, fixture.maintainer);
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await as.post(`/projects/${fixture.projectId}/repository/tags`, { tag_name: 'v1', ref: 'main' }).expect(201);
    const developer = await createUser(api, 'dev');
    await as.post(`/projects/${fixture.projectId}/members`, { user_id: developer.id, access_level: 30 }).expect(201);
    other = developer.username;
    const pushes = (await as.get(`/projects/${fixture.projectId}/pipelines?per_page=100`).expect(200)).body;
    pushed = Object.fromEntries(pushes.map((p: { ref: string; id: number }) => [p.ref, p.id])) as typeof pushed;
    expect(Object.keys(pushed).sort()).toEqual(['feature', 'main', 'v1']);
    const mainOld = (await runPipeline(api, fixture.maintainer, fixture.projectId, 'main')).id;
    const job = await takeJob(api, fixture.runnerToken);
    await finishJob(api, job.id, job.token, 'success').expect(200);
    ids = {
      mainOld,
      mainNew: (await runPipeline(api, fixture.maintainer, fixture.projectId, 'main')).id,
      feature: (await runPipeline(api, fixture.maintainer, fixture.projectId, 'feature')).id,
      tag: (await runPipeline(api, fixture.maintainer, fixture.projectId, 'v1')).id,
      byOther: (await runPipeline(api, developer, fixture.projectId, 'feature')).id,
    };
  });

  afterAll(() => api.close());

  const skipped = () => [pushed.v1, pushed.feature, pushed.main];

  it('lists newest first by default, as GitLab', async () => {
    expect(await list('')).toEqual([ids.byOther, ids.tag, ids.feature, ids.mainNew, ids.mainOld, ...skipped()]);
  });

  it.each([
    ['ref=main', () => [ids.mainNew, ids.mainOld, pushed.main]],
    ['status=success', () => [ids.mainOld]],
    ['scope=finished', () => [ids.mainOld, ...skipped()]],
    ['status=skipped', () => skipped()],
    ['scope=pending', () => [ids.byOther, ids.tag, ids.feature, ids.mainNew]],
    ['scope=running', () => []],
    ['scope=branches', () => [ids.byOther, ids.mainNew]],
    ['scope=tags', () => [ids.tag]],
    ['status=waiting_for_resource', () => []],
    ['username=REPLACED', () => [ids.byOther]],
    ['username=nobody-at-all', () => []],
    ['yaml_errors=true', () => []],
    ['yaml_errors=false&ref=feature', () => [ids.byOther, ids.feature, pushed.feature]],
    ['source=api', () => [ids.byOther, ids.tag, ids.feature, ids.mainNew, ids.mainOld]],
    ['source=push', () => skipped()],
    ['order_by=id&sort=asc', () => [...skipped().reverse(), ids.mainOld, ids.mainNew, ids.feature, ids.tag, ids.byOther]],
    ['order_by=ref&sort=ASC', () => [pushed.feature, ids.feature, ids.byOther, pushed.main, ids.mainOld, ids.mainNew, pushed.v1, ids.tag]],
    ['order_by=ref', () => [ids.tag, pushed.v1, ids.mainNew, ids.mainOld, pushed.main, ids.byOther, ids.feature, pushed.feature]],
    ['created_after=2999-01-01T00:00:00Z', () => []],
    ['created_before=2999-01-01T00:00:00Z&ref=v1', () => [ids.tag, pushed.v1]],
    ['updated_before=2000-01-01T00:00:00Z', () => []],
  ])('applies %s', async (query, expected) => {
    expect(await list(query.replace('REPLACED', other))).toEqual(expected());
  });

  it('filters by sha', async () => {
    const [first] = (await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/pipelines?ref=v1`).expect(200)).body;
    expect(await list(`sha=${first.sha}&ref=v1`)).toEqual([ids.tag, pushed.v1]);
    expect(await list(`sha=${'0'.repeat(40)}`)).toEqual([]);
  });

  it.each([
    ['scope=everything', 'scope does not have a valid value'],
    ['status=green', 'status does not have a valid value'],
    ['order_by=name', 'order_by does not have a valid value'],
    ['sort=up', 'sort does not have a valid value'],
    ['source=ftp', 'source does not have a valid value'],
    ['yaml_errors=maybe', 'yaml_errors is invalid'],
    ['created_after=yesterday', 'created_after is invalid'],
    ['scope=x&sort=y', 'scope does not have a valid value, sort does not have a valid value'],
  ])('refuses %s in Grape’s words', async (query, error) => {
    const response = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/pipelines?${query}`).expect(400);
    expect(response.body).toEqual({ error });
  });
});
