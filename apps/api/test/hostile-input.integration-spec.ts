import { client, resources } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

/** PostgreSQL's integer: the highest page, so that an offset stays an exact number at any per_page. */
const MAX_PAGE = 2_147_483_647;

/**
 * The fields a 400 names: Grape's `{"error": "a is invalid, b is missing"}` for a parameter, ActiveRecord's
 * `{"message": {"field": [reasons]}}` for a model rule, or the message itself when it is a text.
 */
function namedFields(body: { message?: unknown; error?: string }): unknown[] {
  if (typeof body.error === 'string') return body.error.split(', ').map((sentence) => sentence.split(' ')[0]);
  return body.message !== null && typeof body.message === 'object' ? Object.keys(body.message) : [body.message];
}

/** Issue 14: input an attacker chose answered 500; each must be a 400 naming the field, as GitLab's API. */
describe('Hostile input', () => {
  let api: TestApp;
  const as = () => client(api, api.rootToken);
  /** Every list route that pages, on resources the admin sees. */
  let lists: string[];
  let [p, g] = ['', ''];

  beforeAll(async () => {
    api = await startTestApp();
    const group = await resources(api).group(api.rootToken);
    const project = await resources(api).project(api.rootToken, { namespace_id: group.id });
    // A second one, so that a list of one per page has a page 2 on any database, a fresh one included.
    await resources(api).project(api.rootToken, { namespace_id: group.id });
    [p, g] = [`/projects/${project.id}`, `/groups/${group.id}`];
    await as()
      .post(`${p}/repository/files/.gitlab-ci.yml`, { branch: 'main', content: 'job:\n  script: [make]\n', commit_message: 'CI [skip ci]' })
      .expect(201);
    await as().post(`${p}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    const mr = (await as().post(`${p}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 't' }).expect(201)).body;
    await as().put(p, { ci_pipeline_variables_minimum_override_role: 'developer' }).expect(200);
    for (const owner of [p, g]) await as().post(`${owner}/variables`, { key: 'DEPLOY', value: 'x' }).expect(201);
    lists = [
      '/projects',
      '/groups',
      ...[`${g}/projects`, `${g}/subgroups`, `${g}/members`, `${g}/variables`, `${g}/ci/id_token_claims/events`],
      ...[`${p}/forks`, `${p}/members`, `${p}/variables`, `${p}/merge_requests`, `${p}/merge_requests/${mr.iid}/pipelines`],
      ...[`${p}/pipelines`, `${p}/jobs`, `${p}/repository/branches`, `${p}/repository/tags`, `${p}/protected_branches`],
      ...[
        `${p}/protected_tags`,
        `${p}/environments`,
        `${p}/protected_environments`,
        `${p}/ci/id_token_issuances`,
        `${p}/ci/id_token_claims/events`,
      ],
    ];
  });

  afterAll(() => api.close());

  /** Each list's status and the fields its 400 names, so that a failure shows every list at once. */
  async function answers(query: string): Promise<Record<string, string>> {
    const seen: Record<string, string> = {};
    for (const list of lists) {
      const response = await as().get(`${list}?${query}`);
      seen[list] = response.status === 400 ? `400 ${namedFields(response.body).join(',')}` : String(response.status);
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
      expect((await as().get(`/projects?${query}`)).body).toEqual({
        message: { [field]: [`must be a whole number from 1 to ${highest}`] },
      });
    });

    it('still reads a page written in digits, up to the highest page', async () => {
      expect(await answers(`page=${MAX_PAGE}&per_page=100`)).toEqual(everyList('200'));
      const second = await as().get('/projects?page=2&per_page=1').expect(200);
      expect([second.headers['x-page'], second.headers['x-per-page'], second.body.length]).toEqual(['2', '1', 1]);
    });
  });

  it('keeps every answer readable whatever the query: a Link header over 8 KiB is left out (issue 19)', async () => {
    // The Link header repeats the query four times: 6 KB of query made 24 KB of headers, more than Node's clients
    // (16 KiB) read and than a proxy's default buffer holds (nginx answers 502 past 4 or 8 KiB).
    const query = `search=app&unknown=${'%C3%A9'.repeat(1000)}`;
    const huge = await as().get(`/projects?${query}`);
    expect(huge.status).toBe(200);
    expect(huge.headers.link).toBeUndefined();
    expect(huge.headers['x-page']).toBe('1');
    const usual = await as().get('/projects?per_page=1').expect(200);
    expect(usual.headers.link).toMatch(/^<http:\/\/[^>]+\?per_page=1&page=2>; rel="next", /);
  });

  describe('write bodies: null, arrays and nested arrays where an object, an id or a text belongs', () => {
    const NESTED = [[[[[]]]]];
    const CASES: [string, 'post' | 'put', string, object, string][] = [
      ['a fork with namespace_id null', 'post', '{p}/fork', { namespace_id: null }, 'namespace_id'],
      ['a fork with namespace null', 'post', '{p}/fork', { namespace: null }, 'namespace'],
      ['a fork with namespace_path null', 'post', '{p}/fork', { namespace_path: null }, 'namespace_path'],
      ['a project with namespace_id null', 'post', '/projects', { name: 'x', namespace_id: null }, 'namespace_id'],
      ['a group with parent_id null', 'post', '/groups', { name: 'x', path: 'x-null-parent', parent_id: null }, 'parent_id'],
      [
        'a merge request with target_project_id null',
        'post',
        '{p}/merge_requests',
        { source_branch: 'feature', target_branch: 'main', title: 't', target_project_id: null },
        'target_project_id',
      ],
      ['project claims [[[[[]]]]]', 'put', '{p}/ci/id_token_claims', { claims: NESTED }, 'claims'],
      ['project claims [[]]', 'put', '{p}/ci/id_token_claims', { claims: [[]] }, 'claims'],
      ['project claims [[{key, value}]]', 'put', '{p}/ci/id_token_claims', { claims: [[{ key: 'team', value: 'x' }]] }, 'claims'],
      ['group claims [[[[[]]]]]', 'put', '{g}/ci/id_token_claims', { claims: NESTED }, 'claims'],
      ['group claims [[{key, value}]]', 'put', '{g}/ci/id_token_claims', { claims: [[{ key: 'team', value: 'x' }]] }, 'claims'],
      [
        'pipeline variables [[{key, value}]]',
        'post',
        '{p}/pipeline',
        { ref: 'main', variables: [[{ key: 'K', value: 'v' }]] },
        'variables',
      ],
      [
        'deploy_access_levels [[{access_level}]]',
        'post',
        '{p}/protected_environments',
        { name: 'production', deploy_access_levels: [[{ access_level: 40 }]] },
        'deploy_access_levels',
      ],
      ['a project variable with environment_scope null', 'put', '{p}/variables/DEPLOY', { environment_scope: null }, 'environment_scope'],
      ['a group variable with environment_scope null', 'put', '{g}/variables/DEPLOY', { environment_scope: null }, 'environment_scope'],
    ];

    it.each(CASES)('refuses %s with 400 naming the field', async (_case, method, url, body, field) => {
      const response = await as()[method](url.replace('{p}', p).replace('{g}', g), body);
      expect([response.status, namedFields(response.body)]).toEqual([400, [field]]);
    });

    it('says what a list of lists is, and stores none of it', async () => {
      const response = await as().put(`${p}/ci/id_token_claims`, { claims: NESTED }).expect(400);
      expect(response.body).toEqual({ message: { claims: ['must be a list of objects, not of lists'] } });
      expect((await as().get(`${p}/ci/id_token_claims`).expect(200)).body).toEqual({ claims: [] });
    });
  });
});
