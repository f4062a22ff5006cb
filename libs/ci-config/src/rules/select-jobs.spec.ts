import { parseCiConfig } from '../parse-ci-config';
import type { PipelineFacts, PipelineOrigin } from './pipeline-variables';
import type { PolicyFacts } from './policy';
import { type SelectionFacts, selectJobs } from './select-jobs';

const DEPLOY = `
deploy:
  script: deploy
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_COMMIT_REF_PROTECTED == "true"
test:
  script: test
`;

function facts(origin: PipelineOrigin, overrides: Partial<PipelineFacts> = {}, changedPaths: string[] | null = null): SelectionFacts {
  const refType = origin.source === 'merge_request_event' ? 'merge_request' : origin.ref.type;
  const ref = origin.source === 'merge_request_event' ? `refs/merge-requests/${origin.mergeRequest.iid}/head` : origin.ref.name;
  const policy: PolicyFacts = { source: origin.source, refType, ref, projectFullPath: 'g/p', kubernetesActive: false };
  return {
    pipeline: {
      origin,
      serverUrl: 'https://lanyard.test',
      sha: 'a'.repeat(40),
      beforeSha: '0'.repeat(40),
      refProtected: false,
      defaultBranch: 'main',
      configPath: '.gitlab-ci.yml',
      openMergeRequests: [],
      ...overrides,
    },
    policy,
    repository: {
      changedPaths,
      changedPathsSince: () => undefined,
      files: ['README.md', 'src/app.go'],
      filesInProject: () => ({ missing: 'project' }),
    },
    ciVariables: () => ({}),
    pipelineVariables: {},
  };
}

const main = (refProtected: boolean) => facts({ source: 'push', ref: { type: 'branch', name: 'main' } }, { refProtected });
const mergeRequest = facts({
  source: 'merge_request_event',
  mergeRequest: {
    id: 7,
    iid: 1,
    title: 't',
    description: null,
    draft: false,
    squashOnMerge: false,
    assignees: [],
    milestone: null,
    labels: [],
    projectId: 1,
    projectPath: 'g/p',
    targetBranch: 'main',
    targetBranchProtected: true,
    sourceProjectId: 2,
    sourceProjectPath: 'fork/p',
    sourceBranch: 'main',
    sourceBranchProtected: false,
    eventType: 'detached',
  },
});

function names(source: string, selectionFacts: SelectionFacts) {
  const config = parseCiConfig(source, { optInJwt: false, refusedKeywords: ['include'] });
  expect(config.errors).toEqual([]);
  const selection = selectJobs(config, selectionFacts);
  return selection.errors.length > 0 ? selection.errors : selection.jobs.map((job) => job.name);
}

describe(selectJobs.name, () => {
  it.each([
    ['protected main', main(true), ['deploy', 'test']],
    ['unprotected main', main(false), ['test']],
    // A job without rules defaults to only: [branches, tags], so a merge-request pipeline has none of them.
    [
      'a fork merge request whose source branch is called main',
      mergeRequest,
      ['Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.'],
    ],
  ])('creates the protected deploy job only where GitLab does: %s', (_case, selectionFacts, expected) => {
    expect(names(DEPLOY, selectionFacts)).toEqual(expected);
  });

  it('filters the pipeline out with workflow:rules, and names it otherwise', () => {
    const source = `
workflow:
  name: 'Pipeline for $CI_COMMIT_REF_NAME'
  rules:
    - if: $CI_COMMIT_TAG
      when: never
    - when: always
job:
  script: x
`;
    const config = parseCiConfig(source, { optInJwt: false, refusedKeywords: [] });
    expect(selectJobs(config, facts({ source: 'push', ref: { type: 'tag', name: 'v1', message: '' } }))).toEqual({
      errors: ['Pipeline filtered out by workflow rules.'],
      filtered: true,
      name: null,
      stages: ['.pre', 'build', 'test', 'deploy', '.post'],
      jobs: [],
    });
    const created = selectJobs(config, main(false));
    expect([created.name, created.jobs.map((job) => job.name)]).toEqual(['Pipeline for main', ['job']]);
  });

  it('applies the matched rule: when, allow_failure, variables and needs, and workflow variables over the root ones', () => {
    const source = `
variables: { LEVEL: root, KEEP: root }
workflow:
  rules:
    - variables: { LEVEL: workflow }
build: { stage: build, script: x }
lint: { stage: build, script: x, rules: [{ when: never }] }
deploy:
  stage: deploy
  script: x
  needs: [build]
  variables: { KEEP: own }
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      when: manual
      allow_failure: true
      variables: { TARGET: production }
      needs: [{ job: lint, optional: true }]
`;
    const selection = selectJobs(parseCiConfig(source, { optInJwt: false, refusedKeywords: [] }), main(false));
    expect(selection.errors).toEqual([]);
    const deploy = selection.jobs.find((job) => job.name === 'deploy');
    expect(selection.jobs.map((job) => job.name)).toEqual(['build', 'deploy']);
    expect(deploy).toMatchObject({
      when: 'manual',
      allowFailure: true,
      variables: { LEVEL: 'workflow', KEEP: 'own', TARGET: 'production' },
      needs: [],
    });
  });

  it('fails when a kept job needs a job rules left out', () => {
    const source = `
build: { stage: build, script: x, rules: [{ if: $CI_COMMIT_TAG }] }
test: { stage: test, script: x, needs: [build] }
`;
    expect(names(source, main(false))).toEqual([
      "'test' job needs 'build' job, but 'build' does not exist in the pipeline. This might be because of the only, except, or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional.",
    ]);
  });

  it('evaluates changes against the diff (true without one) and exists against the files at the sha', () => {
    const source = `
docs: { script: x, rules: [{ changes: ['docs/**/*'] }] }
go: { script: x, rules: [{ exists: ['**/*.go'] }] }
python: { script: x, rules: [{ exists: [requirements.txt] }] }
`;
    const push = { source: 'push', ref: { type: 'branch', name: 'feature' } } as const;
    expect(names(source, facts(push, {}, null))).toEqual(['docs', 'go']);
    expect(names(source, facts(push, {}, ['src/app.go']))).toEqual(['go']);
    expect(names(source, facts(push, {}, ['docs/a/b.md']))).toEqual(['docs', 'go']);
  });

  it('decides only/except on refs and sources', () => {
    const source = `
main_only: { script: x, only: [main] }
not_tags: { script: x, except: [tags] }
releases: { script: x, only: ['/^release-.*$/'] }
mrs: { script: x, only: [merge_requests] }
`;
    expect(names(source, main(false))).toEqual(['main_only', 'not_tags']);
    expect(names(source, facts({ source: 'push', ref: { type: 'tag', name: 'release-1', message: '' } }))).toEqual(['releases']);
    expect(names(source, mergeRequest)).toEqual(['mrs']);
  });
});
