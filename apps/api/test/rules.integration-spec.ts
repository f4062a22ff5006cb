import { commitCiConfig } from './support/ci-fixtures';
import { commitFile } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { createRunner, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const REPORTER = 20;
const DEVELOPER = 30;

// GitLab's documented idiom for a deploy job that gets credentials only on protected main (`job_rules.md`): in a
// merge-request pipeline CI_COMMIT_BRANCH is unset, so the deploy job does not exist there, even from a fork's `main`.
const DEPLOY_CI = `
deploy:
  stage: deploy
  script: [./deploy]
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_COMMIT_REF_PROTECTED == "true"
test:
  script: [make test]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
`;

interface Pipeline {
  id: number;
  ref: string;
  source: string;
  name: string | null;
}

describe('rules:, workflow:rules and only/except decide which jobs a pipeline creates (GitLab 18)', () => {
  let api: TestApp;
  let owner: TestUser;
  let projectId: number;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    owner = await createUser(api, 'rules');
    projectId = (await resources(api).project(owner)).id;
  });

  async function jobNames(pipelineId: number, project = projectId, who: TestUser = owner): Promise<string[]> {
    const jobs = (await client(api, who).get(`/projects/${project}/pipelines/${pipelineId}/jobs`).expect(200)).body as { name: string }[];
    return jobs.map((job) => job.name).sort();
  }

  async function pipelineFor(ref: string, who: TestUser = owner, project = projectId) {
    return client(api, who).post(`/projects/${project}/pipeline`, { ref });
  }

  async function createdJobs(ref: string): Promise<string[]> {
    const response = await pipelineFor(ref);
    expect(response.status).toBe(201);
    return jobNames(response.body.id);
  }

  async function pipelines(project = projectId): Promise<Pipeline[]> {
    return (await client(api, owner).get(`/projects/${project}/pipelines?per_page=100`).expect(200)).body;
  }

  async function branch(name: string, project = projectId, who: TestUser = owner) {
    await client(api, who).post(`/projects/${project}/repository/branches`, { branch: name, ref: 'main' }).expect(201);
  }

  it('creates the protected deploy job only on protected main: not on another branch, nor in a merge-request pipeline', async () => {
    await commitCiConfig(api, owner, projectId, DEPLOY_CI, 'main');
    await branch('feature');
    expect(await createdJobs('main')).toEqual(['deploy', 'test']);
    expect(await createdJobs('feature')).toEqual(['test']);

    const mr = await client(api, owner)
      .post(`/projects/${projectId}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'Feature' })
      .expect(201);
    const created = await client(api, owner).post(`/projects/${projectId}/merge_requests/${mr.body.iid}/pipelines`);
    expect(created.status).toBe(200);
    expect(created.body.source).toBe('merge_request_event');
    expect(await jobNames(created.body.id)).toEqual(['test']);

    // The main branch, unprotected: CI_COMMIT_REF_PROTECTED is "false", so no deploy job and no token for it.
    const protectedBranches = (await client(api, owner).get(`/projects/${projectId}/protected_branches`).expect(200)).body;
    expect(protectedBranches.map((b: { name: string }) => b.name)).toEqual(['main']);
    await client(api, owner).delete(`/projects/${projectId}/protected_branches/main`).expect(204);
    expect(await createdJobs('main')).toEqual(['test']);
  });

  it('never creates the deploy job for a fork’s merge request, even from a fork branch called main', async () => {
    const contributor = await createUser(api, 'contrib');
    const reviewer = await createUser(api, 'reviewer');
    await commitCiConfig(api, owner, projectId, DEPLOY_CI, 'main');
    await resources(api).addMember(owner, `projects/${projectId}`, contributor, REPORTER);
    await resources(api).addMember(owner, `projects/${projectId}`, reviewer, DEVELOPER);
    const fork = (await client(api, contributor).post(`/projects/${projectId}/fork`).expect(201)).body as { id: number };
    // The fork's main is protected in the fork (its owner's default branch), and its config is the parent's.
    await commitFile(api, contributor, fork.id, 'change.txt', 'x', 'main', { commit_message: 'Change [skip ci]' });
    const mr = await client(api, contributor)
      .post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'main',
        target_branch: 'main',
        target_project_id: projectId,
        title: 'x',
      })
      .expect(201);
    const created = await client(api, reviewer).post(`/projects/${projectId}/merge_requests/${mr.body.iid}/pipelines`);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ project_id: projectId, source: 'merge_request_event' });
    expect(await jobNames(created.body.id, projectId, reviewer)).toEqual(['test']);
  });

  it('answers `Pipeline filtered out by workflow rules.` and stores nothing; workflow:name names the pipelines it lets through', async () => {
    const ci = `
workflow:
  name: 'Build of $CI_COMMIT_REF_NAME'
  rules:
    - if: $CI_COMMIT_TAG
      when: never
    - if: $CI_COMMIT_BRANCH
build:
  script: [make]
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    await client(api, owner).post(`/projects/${projectId}/repository/tags`, { tag_name: 'v1', ref: 'main' }).expect(201);
    const before = (await pipelines()).length;
    const refused = await pipelineFor('v1');
    expect([refused.status, refused.body]).toEqual([400, { message: { base: ['Pipeline filtered out by workflow rules.'] } }]);
    // The tag's push created none either (GitLab shows nothing for a filtered push).
    expect((await pipelines()).length).toBe(before);

    const created = await pipelineFor('main');
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('Build of main');
    expect((await pipelines())[0]).toMatchObject({ id: created.body.id, name: 'Build of main' });
  });

  it('answers GitLab’s filtered_by_rules message when rules leave no job', async () => {
    await commitCiConfig(api, owner, projectId, 'only_tags:\n  script: [x]\n  rules:\n    - if: $CI_COMMIT_TAG\n', 'main');
    const refused = await pipelineFor('main');
    expect([refused.status, refused.body.message.base]).toEqual([
      400,
      ['Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.'],
    ]);
  });

  it('decides only/except on refs: names, regexes, branches, tags', async () => {
    const ci = `
main_only: { script: [x], only: [main] }
not_tags: { script: [x], except: [tags] }
releases: { script: [x], only: ['/^release-.*$/'] }
tags_only: { script: [x], only: [tags] }
always: { script: [x] }
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    await branch('release-1');
    await client(api, owner).post(`/projects/${projectId}/repository/tags`, { tag_name: 'release-2', ref: 'main' }).expect(201);
    expect(await createdJobs('main')).toEqual(['always', 'main_only', 'not_tags']);
    expect(await createdJobs('release-1')).toEqual(['always', 'not_tags', 'releases']);
    expect(await createdJobs('release-2')).toEqual(['always', 'releases', 'tags_only']);
  });

  it('evaluates changes against the push’s diff (every changes clause holds without one) and exists at the pipeline’s sha', async () => {
    const ci = `
docs: { script: [x], rules: [{ changes: ['docs/**/*'] }] }
go: { script: [x], rules: [{ exists: [go.mod] }] }
python: { script: [x], rules: [{ exists: ['**/*.py'] }] }
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    await commitFile(api, owner, projectId, 'go.mod', 'module x', 'main', { commit_message: 'go [skip ci]' });
    await commitFile(api, owner, projectId, 'docs/index.md', '# x');
    await commitFile(api, owner, projectId, 'main.go', 'package main');
    const [goPush, docsPush] = await pipelines();
    expect(goPush.source).toBe('push');
    expect(await jobNames(docsPush.id)).toEqual(['docs', 'go']);
    expect(await jobNames(goPush.id)).toEqual(['go']);
    // A pipeline from the API has no diff: GitLab's changes are then true.
    expect(await createdJobs('main')).toEqual(['docs', 'go']);
  });

  it('puts the matched rule’s variables into the job the runner gets', async () => {
    const ci = `
variables: { TARGET: nowhere }
deploy:
  script: [./deploy]
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      variables: { TARGET: production, EXTRA: "yes" }
    - when: never
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: projectId });
    expect((await pipelineFor('main')).status).toBe(201);
    const variables = variableMap(await takeJob(api, runner.token));
    expect([variables.get('TARGET')?.value, variables.get('EXTRA')?.value]).toEqual(['production', 'yes']);
  });

  it('stores the matched rule’s when and allow_failure on the job: manual on main, delayed elsewhere', async () => {
    const ci = `
build: { stage: build, script: [x] }
deploy:
  stage: build
  script: [x]
  allow_failure: { exit_codes: [3] }
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      when: manual
      allow_failure: true
    - when: delayed
      start_in: 1 hour
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    await branch('feature');
    const jobsOf = async (ref: string) => {
      const created = await pipelineFor(ref);
      expect(created.status).toBe(201);
      const jobs = (await client(api, owner).get(`/projects/${projectId}/pipelines/${created.body.id}/jobs`).expect(200)).body;
      return (jobs as { name: string; status: string; allow_failure: boolean }[])
        .map((job) => [job.name, job.status, job.allow_failure])
        .sort();
    };
    // In the first stage, each is processed at once: manual waits for a person, delayed is scheduled.
    expect(await jobsOf('main')).toEqual([
      ['build', 'pending', false],
      ['deploy', 'manual', true],
    ]);
    expect(await jobsOf('feature')).toEqual([
      ['build', 'pending', false],
      ['deploy', 'scheduled', false],
    ]);
  });

  it('evaluates a catastrophic-backtracking regex in linear time (RE2) and creates the pipeline', async () => {
    const hostile = `${'a'.repeat(50_000)}!`;
    const ci = `
variables: { X: "${hostile}" }
evil: { script: [x], rules: [{ if: '$X =~ /(a+)+$/' }] }
nested: { script: [x], rules: [{ if: '$X =~ /^(a|aa)*$/' }] }
fine: { script: [x] }
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    const started = Date.now();
    const created = await pipelineFor('main');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(created.status).toBe(201);
    expect(await jobNames(created.body.id)).toEqual(['fine']);
  });

  it('reads exists:project only where the user may read the code, and answers the same for a private and a missing project', async () => {
    const other = await createUser(api, 'other');
    const hidden = await resources(api).project(other, { visibility: 'private' });
    const shared = await resources(api).project(other, { visibility: 'internal' });
    await commitFile(api, other, hidden.id, 'Dockerfile', 'FROM scratch');
    await commitFile(api, other, shared.id, 'templates/ci.yml', 'x');
    const probe = (project: string) =>
      `probe:\n  script: [x]\n  rules:\n    - exists:\n        paths: [Dockerfile, templates/ci.yml]\n        project: ${project}\n`;

    await commitCiConfig(api, owner, projectId, probe(shared.path_with_namespace), 'main');
    expect(await createdJobs('main')).toEqual(['probe']);
    for (const project of [hidden.path_with_namespace, `${hidden.path_with_namespace}-missing`]) {
      await commitCiConfig(api, owner, projectId, probe(project), 'main');
      const refused = await pipelineFor('main');
      expect([refused.status, refused.body.message.base]).toEqual([
        400,
        [`Failed to parse rule for probe: rules:exists:project \`${project}\` not found or access denied`],
      ]);
    }
  });

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
      const variables = variableMap(await takeJob(api, runner.token));
      const value = (key: string) => variables.get(key)?.value;
      expect([value('CI_PIPELINE_SOURCE'), value('CI_MERGE_REQUEST_IID'), value('CI_COMMIT_REF_NAME')]).toEqual([
        'merge_request_event',
        String(mr.iid),
        'feature',
      ]);
      expect(variables.has('CI_COMMIT_BRANCH')).toBe(false);
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
