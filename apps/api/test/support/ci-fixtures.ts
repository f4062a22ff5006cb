import { TestApp, TestUser, createUser } from './test-app';
import { client, resources } from './resources';

/** A project with `.gitlab-ci.yml` committed on `main`, its maintainer, and a project runner's token. */
export interface CiFixture {
  readonly projectId: number;
  readonly maintainer: TestUser;
  readonly runnerToken: string;
}

export async function createCiFixture(
  api: TestApp,
  ciYaml: string,
  options: { groupId?: number; owner?: TestUser } = {},
): Promise<CiFixture> {
  const maintainer = options.owner ?? (await createUser(api, 'ci'));
  const project = await resources(api).project(maintainer, options.groupId ? { namespace_id: options.groupId } : {});
  await commitCiConfig(api, maintainer, project.id, ciYaml, 'main');
  const runner = await client(api, maintainer).post('/user/runners', { runner_type: 'project_type', project_id: project.id });
  if (runner.status !== 201) throw new Error(`creating a runner: ${runner.status} ${JSON.stringify(runner.body)}`);
  return { projectId: project.id, maintainer, runnerToken: runner.body.token };
}

/**
 * Creates or updates `.gitlab-ci.yml` on a branch. The commit says `[skip ci]`: fixtures set up a config, and the
 * tests start the pipelines they are about (a push would otherwise start one, as in GitLab).
 */
export async function commitCiConfig(api: TestApp, who: TestUser, projectId: number, content: string, branch: string): Promise<void> {
  const url = `/projects/${projectId}/repository/files/.gitlab-ci.yml`;
  const body = { branch, content, commit_message: 'CI config [skip ci]' };
  let response = await client(api, who).post(url, body);
  if (response.status === 400 && /already exists/.test(JSON.stringify(response.body))) response = await client(api, who).put(url, body);
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`committing CI config: ${response.status} ${JSON.stringify(response.body)}`);
}

/** POST /jobs/request as a runner. */
export function requestJob(api: TestApp, runnerToken: string) {
  return api.http.post('/api/v4/jobs/request').send({ token: runnerToken, info: { name: 'test-runner', version: '17.0.0' } });
}

/** PUT /jobs/:id as the runner holding the job. */
export function finishJob(api: TestApp, jobId: number, jobToken: string, state: 'success' | 'failed', failureReason?: string) {
  return api.http
    .put(`/api/v4/jobs/${jobId}`)
    .send({ token: jobToken, state, ...(failureReason ? { failure_reason: failureReason } : {}) });
}
