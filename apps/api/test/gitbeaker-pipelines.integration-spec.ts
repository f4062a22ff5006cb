import { Gitlab } from '@gitbeaker/rest';
import { createCiFixture } from './support/ci-fixtures';
import { client } from './support/resources';
import { startListeningTestApp } from './support/listening-app';
import { TestApp, TestUser, createUser } from './support/test-app';

const ONE_JOB = 'only-job:\n  script: echo hi\n';

/** `@gitbeaker/rest` 43, unmodified, on the pipeline endpoints of issue 18 item 6: iid, latest, variables, delete. */
describe('@gitbeaker/rest pipelines', () => {
  let api: TestApp & { readonly baseUrl: string };
  let owner: TestUser;

  beforeAll(async () => {
    api = await startListeningTestApp();
    owner = await createUser(api, 'beaker');
  });

  afterAll(() => api.close());

  it('creates, shows the latest, lists variables and removes pipelines', async () => {
    const gitlab = new Gitlab({ host: api.baseUrl, token: owner.token });
    const fixture = await createCiFixture(api, ONE_JOB, { owner });
    await client(api, owner)
      .put(`/projects/${fixture.projectId}`, { ci_pipeline_variables_minimum_override_role: 'developer' })
      .expect(200);

    const created = await gitlab.Pipelines.create(fixture.projectId, 'main', { variables: [{ key: 'REGION', value: 'eu' }] });
    const latest = await gitlab.Pipelines.showLatest(fixture.projectId);
    const latestOnMain = await gitlab.Pipelines.showLatest(fixture.projectId, { ref: 'main' });
    const variables = await gitlab.Pipelines.allVariables(fixture.projectId, created.id);
    await gitlab.Pipelines.remove(fixture.projectId, created.id);
    const gone = await gitlab.Pipelines.show(fixture.projectId, created.id).then(
      () => 'still there',
      (error: { cause?: { response?: { status?: number } } }) => error.cause?.response?.status,
    );

    expect({
      iid: created.iid,
      latest: [latest.id, latestOnMain.id, latest.iid],
      variables,
      gone,
    }).toEqual({
      iid: 2,
      latest: [created.id, created.id, 2],
      variables: [{ variable_type: 'env_var', key: 'REGION', value: 'eu' }],
      gone: 404,
    });
  });
});
