import { type MergeRequestFacts, type PipelineFacts, pipelineRuleVariables } from './pipeline-variables';

const sha = 'a'.repeat(40);
const zeros = '0'.repeat(40);
const base: Omit<PipelineFacts, 'origin'> = {
  serverUrl: 'https://lanyard.example',
  sha,
  beforeSha: zeros,
  refProtected: true,
  defaultBranch: 'main',
  configPath: '.gitlab-ci.yml',
  openMergeRequests: [],
};
const mergeRequest: MergeRequestFacts = {
  id: 90,
  iid: 7,
  title: 'Add rules',
  description: 'Why and how',
  draft: false,
  squashOnMerge: true,
  assignees: [],
  milestone: null,
  labels: [],
  projectId: 5,
  projectPath: 'group/app',
  targetBranch: 'main',
  targetBranchProtected: true,
  sourceProjectId: 6,
  sourceProjectPath: 'fork/app',
  sourceBranch: 'feature/Rules_1',
  sourceBranchProtected: false,
  eventType: 'detached',
};

describe(pipelineRuleVariables.name, () => {
  it('gives a branch push CI_COMMIT_BRANCH and no tag or merge-request variables', () => {
    expect(pipelineRuleVariables({ ...base, origin: { source: 'push', ref: { type: 'branch', name: 'feature/Login' } } })).toEqual({
      CI_DEFAULT_BRANCH: 'main',
      CI_CONFIG_PATH: '.gitlab-ci.yml',
      CI_PIPELINE_IID: '',
      CI_PIPELINE_SOURCE: 'push',
      CI_COMMIT_SHA: sha,
      CI_COMMIT_SHORT_SHA: 'aaaaaaaa',
      CI_COMMIT_BEFORE_SHA: zeros,
      CI_COMMIT_REF_NAME: 'feature/Login',
      CI_COMMIT_REF_SLUG: 'feature-login',
      CI_COMMIT_BRANCH: 'feature/Login',
      CI_COMMIT_REF_PROTECTED: 'true',
    });
  });

  it('gives a tag pipeline CI_COMMIT_TAG and its message, and no CI_COMMIT_BRANCH', () => {
    const variables = pipelineRuleVariables({ ...base, origin: { source: 'push', ref: { type: 'tag', name: 'v1.0', message: 'First' } } });
    expect(variables).toMatchObject({
      CI_COMMIT_TAG: 'v1.0',
      CI_COMMIT_TAG_MESSAGE: 'First',
      CI_COMMIT_REF_NAME: 'v1.0',
      CI_COMMIT_REF_SLUG: 'v1-0',
    });
    expect(variables).not.toHaveProperty('CI_COMMIT_BRANCH');
  });

  it.each(['web', 'api', 'schedule', 'trigger'] as const)(
    'gives a %s pipeline on a branch the branch variables and its source',
    (source) => {
      const variables = pipelineRuleVariables({
        ...base,
        scheduleDescription: 'Nightly',
        origin: { source, ref: { type: 'branch', name: 'main' } },
      });
      expect(variables).toMatchObject({ CI_PIPELINE_SOURCE: source, CI_COMMIT_BRANCH: 'main' });
      expect(variables.CI_PIPELINE_TRIGGERED).toBe(source === 'trigger' ? 'true' : undefined);
      expect(variables.CI_PIPELINE_SCHEDULE_DESCRIPTION).toBe(source === 'schedule' ? 'Nightly' : undefined);
    },
  );

  it('gives a merge-request pipeline every CI_MERGE_REQUEST_* variable, in GitLab order, and no CI_COMMIT_BRANCH', () => {
    const variables = pipelineRuleVariables({
      ...base,
      refProtected: false,
      origin: { source: 'merge_request_event', mergeRequest },
      openMergeRequests: [{ projectPath: 'group/app', iid: 7 }],
    });
    expect(Object.entries(variables).filter(([key]) => !key.startsWith('CI_MERGE_REQUEST_'))).toEqual([
      ['CI_DEFAULT_BRANCH', 'main'],
      ['CI_CONFIG_PATH', '.gitlab-ci.yml'],
      ['CI_PIPELINE_IID', ''],
      ['CI_PIPELINE_SOURCE', 'merge_request_event'],
      ['CI_COMMIT_SHA', sha],
      ['CI_COMMIT_SHORT_SHA', 'aaaaaaaa'],
      ['CI_COMMIT_BEFORE_SHA', zeros],
      ['CI_COMMIT_REF_NAME', 'feature/Rules_1'],
      ['CI_COMMIT_REF_SLUG', 'feature-rules-1'],
      ['CI_COMMIT_REF_PROTECTED', 'false'],
      ['CI_OPEN_MERGE_REQUESTS', 'group/app!7'],
    ]);
    expect(Object.entries(variables).filter(([key]) => key.startsWith('CI_MERGE_REQUEST_'))).toEqual([
      ['CI_MERGE_REQUEST_EVENT_TYPE', 'detached'],
      ['CI_MERGE_REQUEST_SOURCE_BRANCH_SHA', ''],
      ['CI_MERGE_REQUEST_TARGET_BRANCH_SHA', ''],
      ['CI_MERGE_REQUEST_ID', '90'],
      ['CI_MERGE_REQUEST_IID', '7'],
      ['CI_MERGE_REQUEST_REF_PATH', 'refs/merge-requests/7/head'],
      ['CI_MERGE_REQUEST_PROJECT_ID', '5'],
      ['CI_MERGE_REQUEST_PROJECT_PATH', 'group/app'],
      ['CI_MERGE_REQUEST_PROJECT_URL', 'https://lanyard.example/group/app'],
      ['CI_MERGE_REQUEST_TARGET_BRANCH_NAME', 'main'],
      ['CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED', 'true'],
      ['CI_MERGE_REQUEST_TITLE', 'Add rules'],
      ['CI_MERGE_REQUEST_DRAFT', 'false'],
      ['CI_MERGE_REQUEST_DESCRIPTION', 'Why and how'],
      ['CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED', 'false'],
      ['CI_MERGE_REQUEST_SQUASH_ON_MERGE', 'true'],
      ['CI_MERGE_REQUEST_SOURCE_PROJECT_ID', '6'],
      ['CI_MERGE_REQUEST_SOURCE_PROJECT_PATH', 'fork/app'],
      ['CI_MERGE_REQUEST_SOURCE_PROJECT_URL', 'https://lanyard.example/fork/app'],
      ['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'feature/Rules_1'],
      ['CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED', 'false'],
    ]);
  });

  it('gives the optional merge-request variables when they are set', () => {
    const variables = pipelineRuleVariables({
      ...base,
      origin: {
        source: 'merge_request_event',
        mergeRequest: {
          ...mergeRequest,
          eventType: 'merged_result',
          mergedShas: { source: 'b'.repeat(40), target: 'c'.repeat(40) },
          diff: { id: 12, baseSha: 'd'.repeat(40) },
          assignees: ['ann', 'bob', 'cy'],
          milestone: '18.0',
          labels: ['backend', 'rules'],
        },
      },
    });
    expect(variables).toMatchObject({
      CI_MERGE_REQUEST_EVENT_TYPE: 'merged_result',
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: 'b'.repeat(40),
      CI_MERGE_REQUEST_TARGET_BRANCH_SHA: 'c'.repeat(40),
      CI_MERGE_REQUEST_DIFF_ID: '12',
      CI_MERGE_REQUEST_DIFF_BASE_SHA: 'd'.repeat(40),
      CI_MERGE_REQUEST_ASSIGNEES: 'ann, bob, and cy', // ActiveSupport's to_sentence, as GitLab writes it
      CI_MERGE_REQUEST_MILESTONE: '18.0',
      CI_MERGE_REQUEST_LABELS: 'backend,rules',
    });
  });

  it.each<[string[], string]>([
    [['ann'], 'ann'],
    [['ann', 'bob'], 'ann and bob'],
  ])('joins assignees %p as %p', (assignees, expected) => {
    const variables = pipelineRuleVariables({
      ...base,
      origin: { source: 'merge_request_event', mergeRequest: { ...mergeRequest, assignees } },
    });
    expect(variables.CI_MERGE_REQUEST_ASSIGNEES).toBe(expected);
  });

  it('truncates a description above 2700 characters as ActiveSupport does, and leaves out a missing one', () => {
    const long = 'é'.repeat(2701);
    const of = (description: string | null) =>
      pipelineRuleVariables({ ...base, origin: { source: 'merge_request_event', mergeRequest: { ...mergeRequest, description } } });
    expect(of(long).CI_MERGE_REQUEST_DESCRIPTION).toBe(`${'é'.repeat(2697)}...`);
    expect(of(long).CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED).toBe('true');
    expect(of('é'.repeat(2700)).CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED).toBe('false');
    expect(of(null)).not.toHaveProperty('CI_MERGE_REQUEST_DESCRIPTION');
  });

  it('lists at most four open merge requests of the branch', () => {
    const openMergeRequests = [1, 2, 3, 4, 5].map((iid) => ({ projectPath: 'g/p', iid }));
    const variables = pipelineRuleVariables({ ...base, openMergeRequests, origin: { source: 'push', ref: { type: 'branch', name: 'f' } } });
    expect(variables.CI_OPEN_MERGE_REQUESTS).toBe('g/p!1,g/p!2,g/p!3,g/p!4');
  });

  it('passes the commit, the pipeline and the project facts that are known', () => {
    const variables = pipelineRuleVariables({
      ...base,
      defaultBranch: null,
      iid: 12,
      createdAt: '2026-01-01T00:00:00Z',
      name: 'Nightly',
      kubernetesActive: true,
      deployFreeze: true,
      commit: { message: 'Fix\n\nBody', title: 'Fix', description: 'Body', timestamp: '2026-01-01T00:00:00+00:00', author: 'A <a@x>' },
      origin: { source: 'web', ref: { type: 'branch', name: 'main' } },
    });
    expect(variables).toMatchObject({
      CI_PIPELINE_IID: '12',
      CI_PIPELINE_CREATED_AT: '2026-01-01T00:00:00Z',
      CI_PIPELINE_NAME: 'Nightly',
      CI_COMMIT_MESSAGE: 'Fix\n\nBody',
      CI_COMMIT_TITLE: 'Fix',
      CI_COMMIT_DESCRIPTION: 'Body',
      CI_COMMIT_TIMESTAMP: '2026-01-01T00:00:00+00:00',
      CI_COMMIT_AUTHOR: 'A <a@x>',
      CI_KUBERNETES_ACTIVE: 'true',
      CI_DEPLOY_FREEZE: 'true',
    });
    expect(variables).not.toHaveProperty('CI_DEFAULT_BRANCH');
  });
});
