import { client, resources } from './support/resources';
import { TestApp, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

describe('Project CI/CD settings: ci_opt_in_jwt', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('is on for new projects and changed only by maintainers', async () => {
    const [maintainer, developer] = [await createUser(api, 'm'), await createUser(api, 'd')];
    const project = await resources(api).project(maintainer);
    await resources(api).addMember(maintainer, `projects/${project.id}`, developer, 30);
    expect((await client(api, maintainer).get(`/projects/${project.id}`).expect(200)).body.ci_opt_in_jwt).toBe(true);

    await client(api, developer).put(`/projects/${project.id}`, { ci_opt_in_jwt: false }).expect(403);
    const off = await client(api, maintainer).put(`/projects/${project.id}`, { ci_opt_in_jwt: false }).expect(200);
    expect(off.body.ci_opt_in_jwt).toBe(false);
    expect((await client(api, developer).get(`/projects/${project.id}`).expect(200)).body.ci_opt_in_jwt).toBe(false);

    const unrelated = await client(api, maintainer).put(`/projects/${project.id}`, { description: 'x' }).expect(200);
    expect(unrelated.body.ci_opt_in_jwt).toBe(false);
    const on = await client(api, maintainer).put(`/projects/${project.id}`, { ci_opt_in_jwt: 'true' }).expect(200);
    expect(on.body.ci_opt_in_jwt).toBe(true);
  });

  it.each([['maybe'], [2], [null], [{ a: 1 }]])('rejects ci_opt_in_jwt %j with 400 naming the field', async (value) => {
    const maintainer = await createUser(api);
    const project = await resources(api).project(maintainer);
    const response = await client(api, maintainer).put(`/projects/${project.id}`, { ci_opt_in_jwt: value }).expect(400);
    expect(refusedFields(response.body)).toContain('ci_opt_in_jwt');
  });
});
