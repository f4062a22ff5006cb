import { refusedFields } from './support/refusals';
import { client, resources } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';

/**
 * Issue 19's fuzz pass (seed 1882090068): a lone surrogate in `POST /users`' email answered 500 (`URIError: URI
 * malformed`, thrown by validator.js's `isByteLength` inside `IsEmail`). Text that is not well-formed Unicode cannot be
 * stored or compared faithfully anywhere; it is refused before any rule reads it, naming the parameter as Grape does.
 */
describe('ill-formed Unicode in a request', () => {
  let api: TestApp;
  /** Names no earlier run on the same database took. */
  const run = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it.each([
    ['a lone high surrogate in an email', { username: `lone-high-${run}`, name: 'n', email: 'a\ud800b@example.com' }, 'email'],
    ['a lone low surrogate in an email', { username: `lone-low-${run}`, name: 'n', email: 'x@ex\udc00ample.com' }, 'email'],
    ['half a pair at the end of an email', { username: `half-pair-${run}`, name: 'n', email: 'a@x.org\ud83d' }, 'email'],
    ['a lone surrogate in a name', { username: `lone-name-${run}`, name: 'a\udfffb', email: `lone-name-${run}@example.com` }, 'name'],
  ])('%s is a 400 naming the field, and no user is created', async (_case, body, field) => {
    const refused = await client(api, api.rootToken).post('/users', body).expect(400);
    expect(refusedFields(refused.body)).toEqual([field]);
    const users = await client(api, api.rootToken).get(`/users?username=${body.username}`).expect(200);
    expect(users.body).toEqual([]);
  });

  it('names a nested parameter in Grape’s brackets', async () => {
    const project = await resources(api).project(api.rootToken);
    const refused = await client(api, api.rootToken)
      .post(`/projects/${project.id}/pipeline`, {
        ref: 'main',
        variables: [
          { key: 'OK', value: 'x' },
          { key: 'K\ud800', value: 'v' },
        ],
      })
      .expect(400);
    expect(refused.body).toEqual({ error: 'variables[1][key] is invalid' });
  });

  it('keeps well-formed text outside the Basic Multilingual Plane', async () => {
    await client(api, api.rootToken)
      .post('/users', { username: `astral-${run}`, name: 'Ada 🚀', email: `astral-${run}@example.com` })
      .expect(201);
  });
});
