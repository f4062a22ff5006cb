import { client, resources } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

/** PostgreSQL's integer: the highest page, so that an offset stays an exact number at any per_page. */
const MAX_PAGE = 2_147_483_647;

/** Issue 14: input an attacker chose answered 500; each must be a 400 naming the field, as GitLab's API. */
describe('Hostile input', () => {
  let api: TestApp;
  const as = () => client(api, api.rootToken);
  /** Every list route that pages, on resources the admin sees. */
  let lists: string[];

  beforeAll(async () => {
    api = await startTestApp();
    const group = await resources(api).group(api.rootToken);
    const project = await resources(api).project(api.rootToken, { namespace_id: group.id });
    await as().post(`/projects/${project.id}/repository/files/README.md`, { branch: 'main', content: 'x', commit_message: 'Add a README' }).expect(201);
    await as().post(`/projects/${project.id}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    const mr = (await as().post(`/projects/${project.id}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 't' }).expect(201)).body;
    const [p, g] = [`/projects/${project.id}`, `/groups/${group.id}`];
    lists = [
      '/projects',
      '/groups',
      ...[`${g}/projects`, `${g}/subgroups`, `${g}/members`, `${g}/variables`, `${g}/ci/id_token_claims/events`],
      ...[`${p}/forks`, `${p}/members`, `${p}/variables`, `${p}/merge_requests`, `${p}/merge_requests/${mr.iid}/pipelines`],
      ...[`${p}/pipelines`, `${p}/jobs`, `${p}/repository/branches`, `${p}/repository/tags`, `${p}/protected_branches`],
      ...[`${p}/protected_tags`, `${p}/environments`, `${p}/protected_environments`, `${p}/ci/id_token_issuances`, `${p}/ci/id_token_claims/events`],
    ];
  });

  afterAll(() => api.close());

  /** Each list's status and the fields its 400 names, so that a failure shows every list at once. */
  async function answers(query: string): Promise<Record<string, string>> {
    const seen: Record<string, string> = {};
    for (const list of lists) {
      const response = await as().get(`${list}?${query}`);
      const message: unknown = response.body.message;
      const fields = message !== null && typeof message === 'object' ? Object.keys(message).join(',') : message;
      seen[list] = response.status === 400 ? `400 ${fields}` : String(response.status);
    }
    return seen;
  }

  const everyList = (answer: string) => Object.fromEntries(lists.map((list) => [list, answer]));

  describe('page and per_page', () => {
    it.each([
      ['page=1e308', 'page'],
      ['page=1e3', 'page'],
      ['page=1.5', 'page'],
      ['page=0x10', 'page'],
      ['page=-1', 'page'],
      ['page=99999999999999999999', 'page'],
      [`page=${MAX_PAGE + 1}`, 'page'],
      ['page[]=1&page[]=2', 'page'],
      ['per_page=1e2', 'per_page'],
      ['per_page=20.0', 'per_page'],
      ['per_page=1e308', 'per_page'],
    ])('refuses %s on every list with 400 naming %s', async (query, field) => {
      expect(await answers(query)).toEqual(everyList(`400 ${field}`));
      const highest = field === 'page' ? MAX_PAGE : 100;
      expect((await as().get(`/projects?${query}`)).body).toEqual({ message: { [field]: [`must be a whole number from 1 to ${highest}`] } });
    });

    it('still reads a page written in digits, up to the highest page', async () => {
      expect(await answers(`page=${MAX_PAGE}&per_page=100`)).toEqual(everyList('200'));
      const second = await as().get('/projects?page=2&per_page=1').expect(200);
      expect([second.headers['x-page'], second.headers['x-per-page'], second.body.length]).toEqual(['2', '1', 1]);
    });
  });
});
