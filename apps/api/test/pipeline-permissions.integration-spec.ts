import { DataSource } from 'typeorm';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { CiFixture, createCiFixture } from './support/ci-fixtures';

const CONFIG = 'deploy:\n  script: ./deploy\n';

/** GitLab's `Gitlab::Ci::Pipeline::Chain::Validate::Abilities#perform!` for a ref the caller may not write. */
const refRefused = (ref: string) => ({
  message: {
    base: [
      `You do not have sufficient permission to run a pipeline on '${ref}'. Please select a different branch or contact your administrator for assistance.`,
    ],
  },
});

describe('Pipeline creation: GitLab’s permission messages and pipeline variables', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let base: string;

  const pipelineCount = async () =>
    Number((await api.app.get(DataSource).query('SELECT count(*) FROM ci_pipelines WHERE project_id = $1', [fixture.projectId]))[0].count);

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, CONFIG);
    base = `/projects/${fixture.projectId}`;
    developer = await createUser(api, 'dev');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    const as = client(api, fixture.maintainer);
    await as.post(`${base}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await as.post(`${base}/protected_branches`, { name: 'main', push_access_level: 40, merge_access_level: 40 }).expect(201);
  });

  afterAll(() => api.close());

  describe('a protected ref the caller may not write', () => {
    it("answers GitLab's message naming the ref, and creates nothing", async () => {
      const before = await pipelineCount();
      const refused = await client(api, developer).post(`${base}/pipeline`, { ref: 'main' }).expect(400);
      expect(refused.body).toEqual(refRefused('main'));
      expect(await pipelineCount()).toBe(before);
    });
  });
});
