import { client, resources } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

/** class-validator's own sentences (`ref should not contain a \u0000 string`, `name must be a string`, …). */
const CLASS_VALIDATOR_WORDING =
  /should not|must be (a|an|longer|shorter|one of the following)\b|must not be (less|greater)|each value in|nested property|an unknown value|must contain|must match/;

/** Grape's sentences, as `{"error": …}` joins them. */
const GRAPE_ERROR =
  /^[\w\][.]+ (is missing|is invalid|does not have a valid value)(, [\w\][.]+ (is missing|is invalid|does not have a valid value))*$/;

/** Issue 18 item 10: a refused parameter is answered in GitLab's words, never class-validator's. */
describe('Validation failures in GitLab’s words', () => {
  let api: TestApp;
  let [p, g] = ['', ''];
  const as = () => client(api, api.rootToken);

  beforeAll(async () => {
    api = await startTestApp();
    const group = await resources(api).group(api.rootToken);
    [p, g] = [`/projects/${(await resources(api).project(api.rootToken, { namespace_id: group.id })).id}`, `/groups/${group.id}`];
  });

  afterAll(() => api.close());

  it.each([
    ['post', '{p}/pipeline', {}, 'ref is missing'],
    ['post', '{p}/repository/files/a.txt', {}, 'branch is missing, content is missing, commit_message is missing'],
    ['post', '{p}/repository/files/a.txt', { branch: 'main', content: 'x' }, 'commit_message is missing'],
    ['post', '{p}/variables', { value: 'x' }, 'key is missing'],
    ['post', '{p}/pipeline', { ref: 'main', variables: [{ value: 'x' }] }, 'variables[0][key] is missing'],
    ['post', '/groups', { path: 'only-a-path' }, 'name is missing'],
  ] as const)('answers a missing parameter as Grape does: %s %s %j', async (method, url, body, error) => {
    const response = await as()[method](url.replace('{p}', p), body).expect(400);
    expect(response.body).toEqual({ error });
  });

  it.each([
    ['post', '{p}/pipeline', { ref: 'ma\u0000in' }, 'ref is invalid'],
    ['post', '{p}/pipeline', { ref: ['main'] }, 'ref is invalid'],
    [
      'post',
      '{p}/pipeline',
      { ref: 'main', variables: [{ key: 'K', value: 'v', variable_type: 'secret' }] },
      'variables[0][variable_type] does not have a valid value',
    ],
    ['post', '/groups', { name: 'x', path: 'ok-path', visibility: 'secret' }, 'visibility does not have a valid value'],
    ['post', '/groups', { name: 'x', path: 'ok-path', parent_id: 'abc' }, 'parent_id is invalid'],
    ['put', '{p}', { ci_opt_in_jwt: 'maybe' }, 'ci_opt_in_jwt is invalid'],
    ['post', '{g}/variables', { key: 'K', value: 'v', protected: 'yes please' }, 'protected is invalid'],
  ] as const)('answers a malformed parameter as Grape does: %s %s %j', async (method, url, body, error) => {
    const response = await as()[method](url.replace('{p}', p).replace('{g}', g), body).expect(400);
    expect(response.body).toEqual({ error });
  });

  it('keeps a model rule’s own GitLab message, field by field', async () => {
    const response = await as().post(`${p}/environments`, { name: 'review/' }).expect(400);
    expect(Object.keys(response.body)).toEqual(['message']);
    expect(Object.keys(response.body.message)).toEqual(['name']);
    const blank = await as().post(`${p}/environments`, { name: '' }).expect(400);
    expect(blank.body).toEqual({ message: { name: ["can't be blank"] } });
  });

  const HOSTILE: unknown[] = [null, '', '\u0000', 'a\ud800b', [], [[]], {}, { $gt: '' }, 1e308, -1, true, 'x'.repeat(70_000)];
  const WRITES: [string, string, (value: unknown) => object][] = [
    ['post', '{p}/pipeline', (value) => ({ ref: value })],
    ['post', '{p}/pipeline', (value) => ({ ref: 'main', variables: [{ key: value, value: 'v' }] })],
    ['post', '{p}/repository/files/a.txt', (value) => ({ branch: value, content: 'x', commit_message: 'm' })],
    ['post', '{p}/repository/files/a.txt', (value) => ({ branch: 'main', content: 'x', commit_message: value })],
    ['post', '{p}/repository/branches', (value) => ({ branch: value, ref: 'main' })],
    ['post', '{p}/variables', (value) => ({ key: 'HOSTILE', value: 'x', environment_scope: value })],
    ['post', '/groups', (value) => ({ name: value, path: 'hostile-path' })],
    ['post', '/users', (value) => ({ username: 'hostile-user', name: value, email: 'h@example.com' })],
    ['post', '/user/runners', (value) => ({ runner_type: value })],
    ['post', '{p}/merge_requests', (value) => ({ source_branch: 'main', target_branch: 'main', title: value })],
  ];

  it('never lets class-validator’s wording reach a client, over a catalogue of hostile values', async () => {
    const leaks: string[] = [];
    for (const [method, url, body] of WRITES) {
      for (const value of HOSTILE) {
        const response = await as()[method as 'post'](url.replace('{p}', p), body(value));
        if (response.status >= 500) leaks.push(`${url} ${JSON.stringify(value)}: ${response.status}`);
        if (response.status !== 400) continue;
        const text = JSON.stringify(response.body);
        const grapeShaped = typeof response.body.error !== 'string' || GRAPE_ERROR.test(response.body.error);
        if (CLASS_VALIDATOR_WORDING.test(text) || !grapeShaped) leaks.push(`${url} ${JSON.stringify(value).slice(0, 20)}: ${text}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('answers list filters with an unknown value in Grape’s words too', async () => {
    expect((await as().get('/projects?visibility=everyone').expect(400)).body).toEqual({ error: 'visibility does not have a valid value' });
    expect((await as().get(`${p}/pipelines?per_page=abc`).expect(400)).body).toEqual({
      message: { per_page: ['must be a whole number from 1 to 100'] },
    });
  });
});
