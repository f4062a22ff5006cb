import { TestApp, TestUser, createUser, uniqueName } from './test-app';

/** A private project owned (as maintainer) by `maintainer`, with members at each lower level and an outsider. */
export interface RepositoryFixture {
  readonly projectId: number;
  readonly maintainer: TestUser;
  readonly developer: TestUser;
  readonly reporter: TestUser;
  readonly guest: TestUser;
  readonly outsider: TestUser;
}

/**
 * `developersPushMain`: `main` starts as GitLab's "partially protected" default branch (developers push, maintainers
 * merge) instead of the fully protected default, for tests where developers commit to `main` to test something else.
 */
export async function createRepositoryFixture(
  api: TestApp,
  visibility: 'private' | 'internal' | 'public' = 'private',
  options: { developersPushMain?: boolean } = {},
): Promise<RepositoryFixture> {
  const [maintainer, developer, reporter, guest, outsider] = await Promise.all(
    ['maint', 'dev', 'rep', 'guest', 'out'].map((prefix) => createUser(api, prefix)),
  );
  const project = await api.http
    .post('/api/v4/projects')
    .set('PRIVATE-TOKEN', maintainer.token)
    .send({ name: uniqueName('repo'), visibility })
    .expect(201);
  for (const [user, level] of [
    [developer, 30],
    [reporter, 20],
    [guest, 10],
  ] as const) {
    await api.http
      .post(`/api/v4/projects/${project.body.id}/members`)
      .set('PRIVATE-TOKEN', maintainer.token)
      .send({ user_id: user.id, access_level: level })
      .expect(201);
  }
  if (options.developersPushMain) {
    await api.http
      .post(`/api/v4/projects/${project.body.id}/protected_branches`)
      .set('PRIVATE-TOKEN', maintainer.token)
      .send({ name: 'main', push_access_level: 30, merge_access_level: 40 })
      .expect(201);
  }
  return { projectId: project.body.id, maintainer, developer, reporter, guest, outsider };
}

export function fileUrl(projectId: number, path: string, suffix = ''): string {
  return `/api/v4/projects/${projectId}/repository/files/${encodeURIComponent(path)}${suffix}`;
}

/** Creates a file through the API and expects success. */
export async function commitFile(
  api: TestApp,
  user: TestUser,
  projectId: number,
  path: string,
  content: string,
  branch = 'main',
  extra: object = {},
) {
  return api.http
    .post(fileUrl(projectId, path))
    .set('PRIVATE-TOKEN', user.token)
    .send({ branch, content, commit_message: `Add ${path}`, ...extra })
    .expect(201);
}

export async function branchHead(api: TestApp, user: TestUser, projectId: number, branch: string): Promise<string> {
  const response = await api.http
    .get(`/api/v4/projects/${projectId}/repository/branches/${encodeURIComponent(branch)}`)
    .set('PRIVATE-TOKEN', user.token)
    .expect(200);
  return response.body.commit.id;
}
