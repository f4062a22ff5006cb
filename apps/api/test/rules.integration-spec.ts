import { commitCiConfig } from './support/ci-fixtures';
import { pipelineProbe } from './support/pipeline-probe';
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

describe('rules:, workflow:rules and only/except decide which jobs a pipeline creates (GitLab 18)', () => {
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
  const createdJobs = (ref: string) => probe.createdJobs(ref);
  const pipelines = () => probe.pipelines();
  const branch = (...args: Parameters<typeof probe.branch>) => probe.branch(...args);

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

  it('lets rules read pipeline variables, and protected CI/CD variables only on a protected ref', async () => {
    const ci = `
release: { script: [x], rules: [{ if: '$RELEASE == "yes"' }] }
guarded: { script: [x], rules: [{ if: $DEPLOY_FLAG }] }
always: { script: [x] }
`;
    await commitCiConfig(api, owner, projectId, ci, 'main');
    await branch('feature');
    await client(api, owner).post(`/projects/${projectId}/variables`, { key: 'DEPLOY_FLAG', value: 'on', protected: true }).expect(201);
    expect(await createdJobs('main')).toEqual(['always', 'guarded']);
    expect(await createdJobs('feature')).toEqual(['always']);
    await client(api, owner).put(`/projects/${projectId}`, { ci_pipeline_variables_minimum_override_role: 'maintainer' }).expect(200);
    const withVariable = await client(api, owner).post(`/projects/${projectId}/pipeline`, {
      ref: 'feature',
      variables: [{ key: 'RELEASE', value: 'yes' }],
    });
    expect(withVariable.status).toBe(201);
    expect(await jobNames(withVariable.body.id)).toEqual(['always', 'release']);
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
});
