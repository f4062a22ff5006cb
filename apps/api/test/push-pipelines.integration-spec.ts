import { decodeJwt } from 'jose';
import { branchHead, commitFile, fileUrl } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { createRunner, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const DEVELOPER = 30;
const CI = `
build:
  script: [make]
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
`;

interface PipelineSummary {
  id: number;
  ref: string;
  sha: string;
  source: string;
  status: string;
  tag: boolean;
  yaml_errors: string | null;
  user: { username: string } | null;
}

describe('Push pipelines (GitLab: a push starts a pipeline when the pushed commit has .gitlab-ci.yml)', () => {
  let api: TestApp;
  let maintainer: TestUser;
  let developer: TestUser;
  let projectId: number;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    maintainer = await createUser(api, 'maint');
    developer = await createUser(api, 'dev');
    projectId = (await resources(api).project(maintainer)).id;
    await resources(api).addMember(maintainer, `projects/${projectId}`, developer, DEVELOPER);
  });

  /** Every pipeline of the project, oldest first, in full. */
  async function pipelines(): Promise<PipelineSummary[]> {
    const list = (await client(api, maintainer).get(`/projects/${projectId}/pipelines?per_page=100`).expect(200)).body as { id: number }[];
    const full = [];
    for (const { id } of [...list].reverse())
      full.push((await client(api, maintainer).get(`/projects/${projectId}/pipelines/${id}`).expect(200)).body);
    return full;
  }

  async function jobsOf(pipelineId: number): Promise<{ name: string; status: string }[]> {
    return (await client(api, maintainer).get(`/projects/${projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body;
  }

  it('starts a push pipeline for a commit through the files API, run as the pusher, on any branch', async () => {
    await commitFile(api, maintainer, projectId, '.gitlab-ci.yml', CI);
    const main = await branchHead(api, maintainer, projectId, 'main');
    await commitFile(api, developer, projectId, 'feature.txt', 'x', 'feature', { start_branch: 'main' });
    const feature = await branchHead(api, developer, projectId, 'feature');
    expect((await pipelines()).map((p) => [p.source, p.ref, p.sha, p.tag, p.status, p.user?.username])).toEqual([
      ['push', 'main', main, false, 'pending', maintainer.username],
      ['push', 'feature', feature, false, 'pending', developer.username],
    ]);

    // Its token says so; a developer's push to an unprotected branch is no protected ref.
    const runner = await createRunner(api, maintainer, { runner_type: 'project_type', project_id: projectId });
    const claims = [decodeJwt(variableMap(await takeJob(api, runner.token)).get('AWS_TOKEN')!.value)];
    claims.push(decodeJwt(variableMap(await takeJob(api, runner.token)).get('AWS_TOKEN')!.value));
    expect(claims.map((c) => [c.pipeline_source, c.ref, c.ref_protected, c.user_login])).toEqual([
      ['push', 'main', 'true', maintainer.username],
      ['push', 'feature', 'false', developer.username],
    ]);
  });

  it('gives an empty repository’s first commit the default branch it just made: CI_DEFAULT_BRANCH rules match it', async () => {
    await commitFile(
      api,
      maintainer,
      projectId,
      '.gitlab-ci.yml',
      'deploy:\n  script: x\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n',
    );
    const [first] = await pipelines();
    expect(first).toMatchObject({ source: 'push', ref: 'main' });
    expect((await jobsOf(first.id)).map((job) => job.name)).toEqual(['deploy']);
  });

  it('starts one for a branch or a tag created through the API, as GitLab does for a push of a new ref', async () => {
    await commitFile(api, maintainer, projectId, '.gitlab-ci.yml', CI);
    const main = await branchHead(api, maintainer, projectId, 'main');
    await client(api, developer).post(`/projects/${projectId}/repository/branches`, { branch: 'topic', ref: 'main' }).expect(201);
    await client(api, developer).post(`/projects/${projectId}/repository/tags`, { tag_name: 'v1.0', ref: 'main' }).expect(201);
    expect((await pipelines()).map((p) => [p.source, p.ref, p.sha, p.tag, p.user?.username])).toEqual([
      ['push', 'main', main, false, maintainer.username],
      ['push', 'topic', main, false, developer.username],
      ['push', 'v1.0', main, true, developer.username],
    ]);
  });

  it('skips a commit whose message says [skip ci] or [ci skip] in any case: a skipped pipeline with no jobs (Chain::Skip)', async () => {
    await commitFile(api, maintainer, projectId, '.gitlab-ci.yml', CI, 'main', { commit_message: 'Add CI [skip ci]' });
    await commitFile(api, maintainer, projectId, 'a.txt', 'a', 'main', { commit_message: 'Docs\n\n[CI-Skip]' });
    await commitFile(api, maintainer, projectId, 'b.txt', 'b', 'main', { commit_message: 'skip ci, but not bracketed' });
    const all = await pipelines();
    expect(all.map((p) => p.status)).toEqual(['skipped', 'skipped', 'pending']);
    expect(await jobsOf(all[0].id)).toEqual([]);
    expect(await jobsOf(all[1].id)).toEqual([]);
  });

  it('keeps the push and records a failed pipeline with the errors when the pushed YAML is invalid', async () => {
    const pushed = await api.http.post(fileUrl(projectId, '.gitlab-ci.yml')).set('PRIVATE-TOKEN', maintainer.token).send({
      branch: 'main',
      content: 'build:\n  script: [make]\n  id_tokens:\n    T:\n      audience: x\n',
      commit_message: 'Broken CI',
    });
    expect(pushed.status).toBe(201);
    const [pipeline] = await pipelines();
    expect(pipeline).toMatchObject({ source: 'push', status: 'failed', ref: 'main' });
    expect(pipeline.yaml_errors).toContain('jobs:build:id_tokens:T id token config contains unknown keys: audience');
    expect(await jobsOf(pipeline.id)).toEqual([]);
  });

  it('starts a push pipeline in the fork for a push to a merge request’s source branch, and none in the parent', async () => {
    await commitFile(api, maintainer, projectId, '.gitlab-ci.yml', CI);
    const contributor = await createUser(api, 'contrib');
    await resources(api).addMember(maintainer, `projects/${projectId}`, contributor, 20);
    const fork = (await client(api, contributor).post(`/projects/${projectId}/fork`).expect(201)).body;
    await commitFile(api, contributor, fork.id, 'change.txt', 'x', 'feature', { start_branch: 'main' });
    await client(api, contributor)
      .post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'feature',
        target_branch: 'main',
        target_project_id: projectId,
        title: 't',
      })
      .expect(201);
    await commitFile(api, contributor, fork.id, 'more.txt', 'y', 'feature');
    const forkPipelines = (await client(api, contributor).get(`/projects/${fork.id}/pipelines?source=push`).expect(200)).body;
    expect(forkPipelines.map((p: { ref: string; source: string }) => [p.source, p.ref])).toEqual([
      ['push', 'feature'],
      ['push', 'feature'],
    ]);
    expect((await pipelines()).map((p) => [p.source, p.ref])).toEqual([['push', 'main']]);
  });

  it('starts none where the pushed commit has no .gitlab-ci.yml', async () => {
    await commitFile(api, maintainer, projectId, 'README.md', 'hello');
    await client(api, maintainer).post(`/projects/${projectId}/repository/branches`, { branch: 'topic', ref: 'main' }).expect(201);
    expect(await pipelines()).toEqual([]);
  });
});
