import { RunnerVariable, toRunnerVariable } from './runner-variable';

export interface JobContext {
  readonly serverUrl: string;
  readonly job: {
    readonly id: number;
    readonly name: string;
    readonly stage: string;
    readonly token: string;
    readonly timeoutSeconds: number;
    readonly script: readonly string[];
    readonly startedAt: string;
    /** A job `parallel:` generated: `CI_NODE_INDEX` and `CI_NODE_TOTAL` (GitLab sends a total of 1 otherwise). */
    readonly parallel?: { readonly index: number; readonly total: number } | null;
  };
  readonly pipeline: {
    readonly id: number;
    /** The project's number for it (`CI_PIPELINE_IID`); none for a pipeline not saved yet. */
    readonly iid: number | null;
    readonly source: string;
    readonly createdAt: string;
    readonly sha: string;
    /** The previous head of the push that created the pipeline; `BLANK_SHA` when none did (GitLab's `before_sha`). */
    readonly beforeSha: string;
    readonly ref: string;
    readonly refType: 'branch' | 'tag';
    /** The pipeline's own ref when it differs from `ref`: a merge request's `refs/merge-requests/<iid>/head`. */
    readonly pipelineRef?: string;
    readonly refProtected: boolean;
    /** `workflow:name`, when it gave one (`CI_PIPELINE_NAME`). */
    readonly name?: string | null;
    /** GitLab's `open_merge_requests_refs` (`path!iid`, at most four) for a branch or merge-request pipeline. */
    readonly openMergeRequests?: readonly string[];
  };
  readonly project: {
    readonly id: number;
    readonly name: string;
    readonly path: string;
    readonly fullPath: string;
    readonly namespaceId: number;
    readonly namespaceFullPath: string;
    readonly rootNamespaceId: number;
    readonly rootNamespacePath: string;
    readonly visibility: string;
    readonly defaultBranch: string | null;
  };
  readonly user: { readonly id: number; readonly username: string; readonly email: string; readonly name: string } | null;
  /** `tags`: the runner's `tag_list` (`CI_RUNNER_TAGS`); none when not given. */
  readonly runner: { readonly id: number; readonly description: string; readonly tags?: readonly string[] };
  readonly environment: {
    readonly name: string;
    readonly slug: string;
    readonly tier: string;
    readonly action: string;
    /** The job's `environment:url`, as written. */
    readonly url?: string;
  } | null;
  /** Set for a merge-request pipeline. */
  readonly mergeRequest?: MergeRequestContext | null;
}

/** A merge-request pipeline's merge request: GitLab's `MergeRequest#predefined_variables`. */
export interface MergeRequestContext {
  readonly id: number;
  readonly iid: number;
  readonly title: string;
  /** The target project, where the merge request lives. */
  readonly projectId: number;
  readonly projectPath: string;
  readonly targetBranch: string;
  readonly targetBranchProtected: boolean;
  /** Null when it has none. */
  readonly description: string | null;
  readonly draft: boolean;
  readonly sourceBranchProtected: boolean;
  readonly sourceProjectId: number;
  readonly sourceProjectPath: string;
  readonly sourceBranch: string;
}

/** GitLab's `Gitlab::Git::SHA1_BLANK_SHA`: a pipeline's `before_sha` when no push moved a branch to create it. */
export const BLANK_SHA = '0'.repeat(40);

/**
 * GitLab's `Gitlab::Utils.slugify` (`CI_COMMIT_REF_SLUG`): lowercase, every other character (code point, not run)
 * becomes `-`, at most 63, no edge dashes. `a__b` is `a--b`, as deploy URLs and image tags built from it expect.
 */
export function slugify(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]/gu, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

/** GitLab's predefined CI/CD variables for a job, in GitLab's order; only `CI_JOB_TOKEN` is secret. */
export function buildPredefinedVariables(context: JobContext): RunnerVariable[] {
  const { job, pipeline, project, user, runner, environment } = context;
  const server = new URL(context.serverUrl);
  const projectUrl = `${context.serverUrl}/${project.fullPath}`;
  const entries: [string, string][] = [
    ['CI_PIPELINE_ID', String(pipeline.id)],
    ['CI_PIPELINE_URL', `${projectUrl}/-/pipelines/${pipeline.id}`],
    ['CI_JOB_ID', String(job.id)],
    ['CI_JOB_URL', `${projectUrl}/-/jobs/${job.id}`],
  ];
  const publicVariables = (list: [string, string][]) => list.map(([key, value]) => toRunnerVariable({ key, value, public: true }));
  const rest: [string, string][] = [
    ['CI_JOB_STARTED_AT', job.startedAt],
    ['CI', 'true'],
    ['GITLAB_CI', 'true'],
    ['CI_SERVER_URL', context.serverUrl],
    ['CI_SERVER_HOST', server.hostname],
    ['CI_SERVER_PORT', server.port || (server.protocol === 'https:' ? '443' : '80')],
    ['CI_SERVER_PROTOCOL', server.protocol.replace(':', '')],
    ['CI_SERVER_NAME', 'Lanyard'],
    ['CI_JOB_NAME', job.name],
    ['CI_JOB_NAME_SLUG', slugify(job.name)],
    ['CI_JOB_STAGE', job.stage],
    ['CI_JOB_TIMEOUT', String(job.timeoutSeconds)],
    ...(job.parallel ? ([['CI_NODE_INDEX', String(job.parallel.index)]] as [string, string][]) : []),
    ['CI_NODE_TOTAL', String(job.parallel?.total ?? 1)],
    ['CI_COMMIT_SHA', pipeline.sha],
    ['CI_COMMIT_SHORT_SHA', pipeline.sha.slice(0, 8)],
    ['CI_COMMIT_BEFORE_SHA', pipeline.beforeSha],
    ['CI_COMMIT_REF_NAME', pipeline.ref],
    ['CI_COMMIT_REF_SLUG', slugify(pipeline.ref)],
    // GitLab sets no CI_COMMIT_BRANCH in a merge-request pipeline.
    ...((pipeline.refType === 'tag'
      ? [['CI_COMMIT_TAG', pipeline.ref]]
      : context.mergeRequest
        ? []
        : [['CI_COMMIT_BRANCH', pipeline.ref]]) as [string, string][]),
    ['CI_COMMIT_REF_PROTECTED', String(pipeline.refProtected)],
    ['CI_PROJECT_ID', String(project.id)],
    ['CI_PROJECT_NAME', project.path],
    ['CI_PROJECT_TITLE', project.name],
    ['CI_PROJECT_PATH', project.fullPath],
    ['CI_PROJECT_PATH_SLUG', slugify(project.fullPath)],
    ['CI_PROJECT_NAMESPACE', project.namespaceFullPath],
    ['CI_PROJECT_NAMESPACE_ID', String(project.namespaceId)],
    ['CI_PROJECT_ROOT_NAMESPACE', project.rootNamespacePath],
    ['CI_PROJECT_URL', projectUrl],
    ['CI_PROJECT_VISIBILITY', project.visibility],
    ...(project.defaultBranch ? ([['CI_DEFAULT_BRANCH', project.defaultBranch]] as [string, string][]) : []),
    ['CI_CONFIG_PATH', '.gitlab-ci.yml'],
    ...(pipeline.iid === null ? [] : ([['CI_PIPELINE_IID', String(pipeline.iid)]] as [string, string][])),
    ['CI_PIPELINE_SOURCE', pipeline.source],
    ['CI_PIPELINE_CREATED_AT', pipeline.createdAt],
    ...(pipeline.name ? ([['CI_PIPELINE_NAME', pipeline.name]] as [string, string][]) : []),
    ...(context.mergeRequest ? mergeRequestVariables(context.serverUrl, context.mergeRequest) : []),
    // GitLab sets it in branch and merge-request pipelines whose source branch has open merge requests, never for a tag.
    ...(pipeline.refType === 'branch' && pipeline.openMergeRequests?.length
      ? ([['CI_OPEN_MERGE_REQUESTS', pipeline.openMergeRequests.join(',')]] as [string, string][])
      : []),
    ['CI_RUNNER_ID', String(runner.id)],
    ['CI_RUNNER_DESCRIPTION', runner.description],
    // GitLab's `tag_list.to_a.to_s`: Ruby's inspect of the array, `["docker", "linux"]`.
    ['CI_RUNNER_TAGS', `[${(runner.tags ?? []).map((tag) => JSON.stringify(tag)).join(', ')}]`],
    ...(user
      ? ([
          ['GITLAB_USER_ID', String(user.id)],
          ['GITLAB_USER_LOGIN', user.username],
          ['GITLAB_USER_EMAIL', user.email],
          ['GITLAB_USER_NAME', user.name],
        ] as [string, string][])
      : []),
    ...(environment
      ? ([
          ['CI_ENVIRONMENT_NAME', environment.name],
          ['CI_ENVIRONMENT_SLUG', environment.slug],
          // GitLab's `persisted_environment_variables`: only when the job names a URL.
          ...(environment.url === undefined ? [] : [['CI_ENVIRONMENT_URL', environment.url]]),
          ['CI_ENVIRONMENT_TIER', environment.tier],
          ['CI_ENVIRONMENT_ACTION', environment.action],
        ] as [string, string][])
      : []),
  ];
  return [...publicVariables(entries), toRunnerVariable({ key: 'CI_JOB_TOKEN', value: job.token, masked: true }), ...publicVariables(rest)];
}

/**
 * GitLab's `Ci::Pipeline#merge_request_variables` for a detached merge-request pipeline (no merged-result shas),
 * then `MergeRequest#predefined_variables` and its source-project variables, in GitLab's order.
 */
function mergeRequestVariables(serverUrl: string, mr: MergeRequestContext): [string, string][] {
  const truncated = mr.description !== null && [...mr.description].length > DESCRIPTION_MAX_LENGTH;
  // ActiveSupport's `truncate(2700)`: 2697 characters and an ellipsis of three dots.
  const description = truncated ? `${[...(mr.description as string)].slice(0, DESCRIPTION_MAX_LENGTH - 3).join('')}...` : mr.description;
  return [
    ['CI_MERGE_REQUEST_EVENT_TYPE', 'detached'],
    ['CI_MERGE_REQUEST_SOURCE_BRANCH_SHA', ''],
    ['CI_MERGE_REQUEST_TARGET_BRANCH_SHA', ''],
    ['CI_MERGE_REQUEST_ID', String(mr.id)],
    ['CI_MERGE_REQUEST_IID', String(mr.iid)],
    ['CI_MERGE_REQUEST_REF_PATH', `refs/merge-requests/${mr.iid}/head`],
    ['CI_MERGE_REQUEST_PROJECT_ID', String(mr.projectId)],
    ['CI_MERGE_REQUEST_PROJECT_PATH', mr.projectPath],
    ['CI_MERGE_REQUEST_PROJECT_URL', `${serverUrl}/${mr.projectPath}`],
    ['CI_MERGE_REQUEST_TARGET_BRANCH_NAME', mr.targetBranch],
    ['CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED', String(mr.targetBranchProtected)],
    ['CI_MERGE_REQUEST_TITLE', mr.title],
    ['CI_MERGE_REQUEST_DRAFT', String(mr.draft)],
    ...(description !== null ? ([['CI_MERGE_REQUEST_DESCRIPTION', description]] as [string, string][]) : []),
    ['CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED', String(truncated)],
    ['CI_MERGE_REQUEST_SQUASH_ON_MERGE', 'false'],
    ['CI_MERGE_REQUEST_SOURCE_PROJECT_ID', String(mr.sourceProjectId)],
    ['CI_MERGE_REQUEST_SOURCE_PROJECT_PATH', mr.sourceProjectPath],
    ['CI_MERGE_REQUEST_SOURCE_PROJECT_URL', `${serverUrl}/${mr.sourceProjectPath}`],
    ['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', mr.sourceBranch],
    ['CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED', String(mr.sourceBranchProtected)],
  ];
}

const DESCRIPTION_MAX_LENGTH = 2700;
const DRAFT_TITLE = /^\s*(\[draft\]|\(draft\)|draft:)/i;

/** GitLab's `MergeRequest#draft?`: the title starts with `Draft:`, `[Draft]` or `(Draft)`, in any case. */
export function isDraftTitle(title: string): boolean {
  return DRAFT_TITLE.test(title);
}
