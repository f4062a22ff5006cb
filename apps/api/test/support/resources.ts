import { TestApp, TestUser, uniqueName } from './test-app';

/** Groups, projects and memberships made through the API, for tests that need a tree to work on. */
export interface Resources {
  group(
    owner: TestUser | string,
    body?: Record<string, unknown>,
  ): Promise<{ id: number; path: string; full_path: string; visibility: string }>;
  project(
    owner: TestUser | string,
    body?: Record<string, unknown>,
  ): Promise<{ id: number; path: string; path_with_namespace: string; visibility: string; namespace: { id: number } }>;
  addMember(by: TestUser | string, source: `groups/${number}` | `projects/${number}`, user: TestUser, accessLevel: number): Promise<void>;
}

export function resources(api: TestApp): Resources {
  const token = (who: TestUser | string) => (typeof who === 'string' ? who : who.token);
  return {
    async group(owner, body = {}) {
      const path = uniqueName('g');
      const response = await api.http
        .post('/api/v4/groups')
        .set('PRIVATE-TOKEN', token(owner))
        .send({ name: path, path, ...body });
      if (response.status !== 201) throw new Error(`creating a group: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async project(owner, body = {}) {
      const path = uniqueName('p');
      const response = await api.http
        .post('/api/v4/projects')
        .set('PRIVATE-TOKEN', token(owner))
        .send({ name: path, path, ...body });
      if (response.status !== 201) throw new Error(`creating a project: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async addMember(by, source, user, accessLevel) {
      const response = await api.http
        .post(`/api/v4/${source}/members`)
        .set('PRIVATE-TOKEN', token(by))
        .send({ user_id: user.id, access_level: accessLevel });
      if (response.status !== 201) throw new Error(`adding a member: ${response.status} ${JSON.stringify(response.body)}`);
    },
  };
}

/** Requests to `/api/v4…` with one user's token. */
export function client(api: TestApp, who: TestUser | string) {
  const token = typeof who === 'string' ? who : who.token;
  return {
    get: (url: string) => api.http.get(`/api/v4${url}`).set('PRIVATE-TOKEN', token),
    post: (url: string, body: object = {}) => api.http.post(`/api/v4${url}`).set('PRIVATE-TOKEN', token).send(body),
    put: (url: string, body: object = {}) => api.http.put(`/api/v4${url}`).set('PRIVATE-TOKEN', token).send(body),
    delete: (url: string) => api.http.delete(`/api/v4${url}`).set('PRIVATE-TOKEN', token),
  };
}
