import { commitCiConfig } from './support/ci-fixtures';
import { pipelineProbe } from './support/pipeline-probe';
import { branchHead, commitFile } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { createRunner, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const DEVELOPER = 30;

describe('Pipeline sources: predefined variables per source, and merge-request pipelines after a push (GitLab 18)', () => {
  let api: TestApp;
  let owner: TestUser;
  let projectId: number;
  let probe: ReturnType<typeof pipelineProbe>;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    owner = await createUser(api, 'rules');
    projectId = (await resources(api).project(owner)).id;
    probe = pipelineProbe(api, owner, projectId);
  });

  const jobNames = (...args: Parameters<typeof probe.jobNames>) => probe.jobNames(...args);
  const pipelineFor = (...args: Parameters<typeof probe.pipelineFor>) => probe.pipelineFor(...args);
  const pipelines = () => probe.pipelines();
  const branch = (...args: Parameters<typeof probe.branch>) => probe.branch(...args);

  it('gives the runner each pipeline source’s predefined variables: branch, tag, open merge requests, workflow:name', async () => {
    await commitCiConfig(api, owner, projectId, "workflow:\n  name: 'Run for $CI_COMMIT_REF_NAME'\nshow:\n  script: [env]\n", 'main');
    const path = (await client(api, owner).get(`/projects/${projectId}`).expect(200)).body.path_with_namespace;
    await branch('feature');
    await client(api, owner).post(`/projects/${projectId}/repository/tags`, { tag_name: 'v1', ref: 'main' }).expect(201);
    const mr = (
      await client(api, owner)
        .post(`/projects/${projectId}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'Feature' })
        .expect(201)
    ).body;
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: projectId });
    const keys = ['CI_COMMIT_BRANCH', 'CI_COMMIT_TAG', 'CI_OPEN_MERGE_REQUESTS', 'CI_MERGE_REQUEST_IID', 'CI_PIPELINE_NAME'];
    const variablesOf = async (ref: string) => {
      expect((await pipelineFor(ref)).status).toBe(201);
      const variables = variableMap(await takeJob(api, runner.token));
      return keys.map((key) => variables.get(key)?.value ?? null);
    };
    expect(await variablesOf('feature')).toEqual(['feature', null, `${path}!${mr.iid}`, null, 'Run for feature']);
    expect(await variablesOf('v1')).toEqual([null, 'v1', null, null, 'Run for v1']);
    expect(await variablesOf('main')).toEqual(['main', null, null, null, 'Run for main']);
  });

  it('evaluates changes in a merge-request pipeline against the merge base with the target, not the target’s head', async () => {
    const ci = `
docs:
  script: [x]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
      changes: ['docs/**/*']
test:
  script: [x]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    await branch('with-docs');
    await branch('code-only');
    await commitFile(api, owner, projectId, 'docs/a.md', '# a', 'with-docs');
    await commitFile(api, owner, projectId, 'src/x.go', 'package x', 'with-docs');
    await commitFile(api, owner, projectId, 'src/y.go', 'package y', 'code-only');
    // The target moves on with docs of its own: not part of the merge request's changes.
    await commitFile(api, owner, projectId, 'docs/b.md', '# b', 'main', { commit_message: 'docs [skip ci]' });
    const jobsOfMergeRequest = async (source: string) => {
      const mr = (
        await client(api, owner)
          .post(`/projects/${projectId}/merge_requests`, { source_branch: source, target_branch: 'main', title: source })
          .expect(201)
      ).body;
      const created = await client(api, owner).post(`/projects/${projectId}/merge_requests/${mr.iid}/pipelines`).expect(200);
      return jobNames(created.body.id);
    };
    expect(await jobsOfMergeRequest('with-docs')).toEqual(['docs', 'test']);
    expect(await jobsOfMergeRequest('code-only')).toEqual(['test']);
  });

  describe('a push to the source branch of an open merge request (GitLab: MergeRequests::RefreshService)', () => {
    // GitLab's documented idiom against duplicate pipelines (`workflow.md`): merge-request pipelines, and branch
    // pipelines only for branches without an open merge request.
    const MR_PIPELINES_CI = `
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
test:
  script: [make test]
`;

    it('creates a merge-request pipeline and, by the workflow rules, no branch pipeline', async () => {
      await commitCiConfig(api, owner, projectId, MR_PIPELINES_CI, 'main');
      await branch('feature');
      const featureTip = await branchHead(api, owner, projectId, 'feature');
      await commitFile(api, owner, projectId, 'a.txt', 'a', 'feature');
      const beforeMr = await pipelines();
      expect(beforeMr[0]).toMatchObject({ source: 'push', ref: 'feature' });

      const mr = (
        await client(api, owner)
          .post(`/projects/${projectId}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'Feature' })
          .expect(201)
      ).body;
      await commitFile(api, owner, projectId, 'b.txt', 'b', 'feature');
      const after = await pipelines();
      expect(after.length).toBe(beforeMr.length + 1);
      expect(after[0]).toMatchObject({ source: 'merge_request_event', ref: `refs/merge-requests/${mr.iid}/head` });
      expect(await jobNames(after[0].id)).toEqual(['test']);

      // The runner gets the merge-request pipeline's predefined variables: no CI_COMMIT_BRANCH there.
      const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: projectId });
      const branchJob = variableMap(await takeJob(api, runner.token));
      // The branch pipeline from before the merge request: its branch's variables, and no merge request yet.
      expect([branchJob.get('CI_COMMIT_BRANCH')?.value, branchJob.has('CI_MERGE_REQUEST_IID')]).toEqual(['feature', false]);
      expect(branchJob.get('CI_COMMIT_BEFORE_SHA')?.value).toBe(featureTip);
      const variables = variableMap(await takeJob(api, runner.token));
      const value = (key: string) => variables.get(key)?.value;
      expect([value('CI_PIPELINE_SOURCE'), value('CI_MERGE_REQUEST_IID'), value('CI_COMMIT_REF_NAME')]).toEqual([
        'merge_request_event',
        String(mr.iid),
        'feature',
      ]);
      expect(variables.has('CI_COMMIT_BRANCH')).toBe(false);
      // GitLab's `MergeRequests::CreatePipelineService` passes no `before`: the blank sha, though a push started it.
      expect(value('CI_COMMIT_BEFORE_SHA')).toBe('0'.repeat(40));
    });

    it('creates only the branch pipeline when no rule is for merge_request_event (GitLab’s only: [branches, tags])', async () => {
      await commitCiConfig(api, owner, projectId, 'test:\n  script: [make test]\n', 'main');
      await branch('feature');
      await client(api, owner)
        .post(`/projects/${projectId}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'Feature' })
        .expect(201);
      const before = (await pipelines()).length;
      await commitFile(api, owner, projectId, 'b.txt', 'b', 'feature');
      const after = await pipelines();
      expect(after.length).toBe(before + 1);
      expect(after[0]).toMatchObject({ source: 'push', ref: 'feature' });
    });

    it('runs a fork’s merge-request pipeline in the parent for a pusher who may run pipelines there', async () => {
      const contributor = await createUser(api, 'contrib');
      await commitCiConfig(api, owner, projectId, MR_PIPELINES_CI, 'main');
      await resources(api).addMember(owner, `projects/${projectId}`, contributor, DEVELOPER);
      const fork = (await client(api, contributor).post(`/projects/${projectId}/fork`).expect(201)).body as { id: number };
      await branch('feature', fork.id, contributor);
      const mr = (
        await client(api, contributor)
          .post(`/projects/${fork.id}/merge_requests`, {
            source_branch: 'feature',
            target_branch: 'main',
            target_project_id: projectId,
            title: 'From a fork',
          })
          .expect(201)
      ).body;
      const before = (await pipelines()).length;
      await commitFile(api, contributor, fork.id, 'b.txt', 'b', 'feature');
      const inParent = await pipelines();
      expect(inParent.length).toBe(before + 1);
      expect(inParent[0]).toMatchObject({ source: 'merge_request_event', ref: `refs/merge-requests/${mr.iid}/head` });
      expect(await jobNames(inParent[0].id)).toEqual(['test']);
    });
  });
});
