import { TestApp, createUser, startTestApp } from './support/test-app';

describe('Metadata and version API', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const expected = {
    version: '18.0.0',
    revision: expect.stringMatching(/^lanyard-\d+\.\d+\.\d+/),
    kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
    enterprise: false,
  };

  it.each(['/api/v4/metadata', '/api/v4/version'])('answers %s with GitLab’s metadata', async (path) => {
    const response = await api.http.get(path).set('PRIVATE-TOKEN', api.rootToken).expect(200);
    expect(response.body).toEqual(expected);
  });

  it('answers a read_user token, and refuses one without an API or user scope (403) and no token (401)', async () => {
    const user = await createUser(api);
    const issue = async (scopes: string[]) =>
      (
        await api.http
          .post(`/api/v4/users/${user.id}/personal_access_tokens`)
          .set('PRIVATE-TOKEN', api.rootToken)
          .send({ name: 'meta', scopes })
          .expect(201)
      ).body.token as string;
    const readUser = await issue(['read_user']);
    await api.http.get('/api/v4/metadata').set('PRIVATE-TOKEN', readUser).expect(200);
    await api.http.get('/api/v4/version').set('PRIVATE-TOKEN', readUser).expect(200);
    const refused = await api.http
      .get('/api/v4/metadata')
      .set('PRIVATE-TOKEN', await issue(['read_repository']))
      .expect(403);
    expect(refused.body).toMatchObject({ error: 'insufficient_scope', scope: 'read_user api read_api' });
    await api.http.get('/api/v4/version').expect(401);
  });
});
