import { ownRecord } from '../values';
import type { PipelineSource } from './pipeline-sources';

/** A merge request's facts for a merge-request pipeline (GitLab's `MergeRequest#predefined_variables`). */
export interface MergeRequestFacts {
  readonly id: number;
  readonly iid: number;
  readonly title: string;
  /** Null when the merge request has none (then `CI_MERGE_REQUEST_DESCRIPTION` is unset). */
  readonly description: string | null;
  readonly draft: boolean;
  readonly squashOnMerge: boolean;
  /** Usernames, in GitLab's order. */
  readonly assignees: readonly string[];
  readonly milestone: string | null;
  readonly labels: readonly string[];
  /** The target project, where the merge request lives. */
  readonly projectId: number;
  readonly projectPath: string;
  readonly targetBranch: string;
  readonly targetBranchProtected: boolean;
  readonly sourceProjectId: number;
  readonly sourceProjectPath: string;
  readonly sourceBranch: string;
  readonly sourceBranchProtected: boolean;
  /** `detached` runs the source branch; `merged_result` and `merge_train` run a merge of it into the target. */
  readonly eventType: 'detached' | 'merged_result' | 'merge_train';
  /** The source and target heads merged, for `merged_result`/`merge_train` only. */
  readonly mergedShas?: { readonly source: string; readonly target: string };
  /** The merge request diff the pipeline runs for, when known. */
  readonly diff?: { readonly id: number; readonly baseSha: string };
}

/** The ref a pipeline runs for: a merge-request pipeline has the source `merge_request_event`, and only it. */
export type PipelineOrigin =
  | { readonly source: Exclude<PipelineSource, 'merge_request_event'>; readonly ref: BranchOrTag }
  | { readonly source: 'merge_request_event'; readonly mergeRequest: MergeRequestFacts };

export type BranchOrTag =
  { readonly type: 'branch'; readonly name: string } | { readonly type: 'tag'; readonly name: string; readonly message: string };

/** What a pipeline is known by when its rules are evaluated. */
export interface PipelineFacts {
  readonly origin: PipelineOrigin;
  readonly serverUrl: string;
  readonly sha: string;
  /** The push's previous head; forty zeros for a new branch, a merge-request pipeline or a non-push source. */
  readonly beforeSha: string;
  /** Whether the ref is protected (GitLab: `protected_for?(git_ref)`; a merge-request ref is normally not). */
  readonly refProtected: boolean;
  readonly defaultBranch: string | null;
  /** GitLab's default is `.gitlab-ci.yml`. */
  readonly configPath: string;
  /** The commit's message and the parts GitLab derives from it (`Commit#full_title`, `#description`). */
  readonly commit?: {
    readonly message: string;
    readonly title: string;
    readonly description: string;
    readonly timestamp: string;
    readonly author: string;
  };
  /** Open merge requests from this pipeline's source branch, newest first (GitLab shows at most four). */
  readonly openMergeRequests: readonly { readonly projectPath: string; readonly iid: number }[];
  /** Known once the pipeline is saved; `CI_PIPELINE_IID` is empty before. */
  readonly iid?: number;
  readonly createdAt?: string;
  /** `workflow:name`, once known: unset while `workflow:rules` are evaluated. */
  readonly name?: string;
  readonly scheduleDescription?: string;
  readonly kubernetesActive?: boolean;
  readonly deployFreeze?: boolean;
}

const MAX_OPEN_MERGE_REQUESTS = 4;
const DESCRIPTION_MAX_LENGTH = 2700;

/**
 * The predefined variables `rules:if`, `workflow:rules` and `only:variables` see that depend on the pipeline (GitLab
 * 18's `Variables::Builder::Pipeline#predefined_variables`), plus `CI_DEFAULT_BRANCH`, `CI_CONFIG_PATH` and
 * `CI_PIPELINE_TRIGGERED`. `CI_COMMIT_BRANCH` exists only in branch pipelines, `CI_COMMIT_TAG` only in tag pipelines,
 * `CI_MERGE_REQUEST_*` only in merge-request pipelines, `CI_OPEN_MERGE_REQUESTS` when the source branch has open
 * merge requests. Project, server, user and job variables come from the runner's builder.
 */
export function pipelineRuleVariables(facts: PipelineFacts): Readonly<Record<string, string>> {
  const { origin } = facts;
  const mergeRequest = origin.source === 'merge_request_event' ? origin.mergeRequest : null;
  const ref = origin.source === 'merge_request_event' ? null : origin.ref;
  const refName = mergeRequest ? mergeRequest.sourceBranch : (ref as BranchOrTag).name;
  const variables: [string, string | null | undefined][] = [
    ['CI_DEFAULT_BRANCH', facts.defaultBranch],
    ['CI_CONFIG_PATH', facts.configPath],
    ['CI_PIPELINE_TRIGGERED', origin.source === 'trigger' ? 'true' : null],
    ['CI_PIPELINE_IID', facts.iid === undefined ? '' : String(facts.iid)],
    ['CI_PIPELINE_SOURCE', origin.source],
    ['CI_PIPELINE_CREATED_AT', facts.createdAt],
    ['CI_PIPELINE_NAME', facts.name],
    ['CI_PIPELINE_SCHEDULE_DESCRIPTION', origin.source === 'schedule' ? facts.scheduleDescription : null],
    ['CI_COMMIT_SHA', facts.sha],
    ['CI_COMMIT_SHORT_SHA', facts.sha.slice(0, 8)],
    ['CI_COMMIT_BEFORE_SHA', facts.beforeSha],
    ['CI_COMMIT_REF_NAME', refName],
    ['CI_COMMIT_REF_SLUG', slugify(refName)],
    ['CI_COMMIT_BRANCH', ref?.type === 'branch' ? ref.name : null],
    ['CI_COMMIT_MESSAGE', facts.commit?.message],
    ['CI_COMMIT_TITLE', facts.commit?.title],
    ['CI_COMMIT_DESCRIPTION', facts.commit?.description],
    ['CI_COMMIT_REF_PROTECTED', String(facts.refProtected)],
    ['CI_COMMIT_TIMESTAMP', facts.commit?.timestamp],
    ['CI_COMMIT_AUTHOR', facts.commit?.author],
    ['CI_COMMIT_TAG', ref?.type === 'tag' ? ref.name : null],
    ['CI_COMMIT_TAG_MESSAGE', ref?.type === 'tag' ? ref.message : null],
    ...(mergeRequest ? mergeRequestVariables(mergeRequest, facts.serverUrl) : []),
    ['CI_OPEN_MERGE_REQUESTS', openMergeRequests(facts)],
    ['CI_KUBERNETES_ACTIVE', facts.kubernetesActive ? 'true' : null],
    ['CI_DEPLOY_FREEZE', facts.deployFreeze ? 'true' : null],
  ];
  return ownRecord(variables.filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** GitLab's `Pipeline#merge_request_variables` then `MergeRequest#predefined_variables`, in GitLab's order. */
function mergeRequestVariables(mr: MergeRequestFacts, serverUrl: string): [string, string | null][] {
  const truncated = mr.description !== null && [...mr.description].length > DESCRIPTION_MAX_LENGTH;
  // ActiveSupport's `truncate(2700)`: 2697 characters and an ellipsis of three dots.
  const description = truncated ? `${[...(mr.description as string)].slice(0, DESCRIPTION_MAX_LENGTH - 3).join('')}...` : mr.description;
  return [
    ['CI_MERGE_REQUEST_EVENT_TYPE', mr.eventType],
    ['CI_MERGE_REQUEST_SOURCE_BRANCH_SHA', mr.mergedShas?.source ?? ''],
    ['CI_MERGE_REQUEST_TARGET_BRANCH_SHA', mr.mergedShas?.target ?? ''],
    ['CI_MERGE_REQUEST_DIFF_ID', mr.diff ? String(mr.diff.id) : null],
    ['CI_MERGE_REQUEST_DIFF_BASE_SHA', mr.diff ? mr.diff.baseSha : null],
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
    ['CI_MERGE_REQUEST_DESCRIPTION', description],
    ['CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED', String(truncated)],
    ['CI_MERGE_REQUEST_ASSIGNEES', mr.assignees.length > 0 ? toSentence(mr.assignees) : null],
    ['CI_MERGE_REQUEST_MILESTONE', mr.milestone],
    ['CI_MERGE_REQUEST_LABELS', mr.labels.length > 0 ? mr.labels.join(',') : null],
    ['CI_MERGE_REQUEST_SQUASH_ON_MERGE', String(mr.squashOnMerge)],
    ['CI_MERGE_REQUEST_SOURCE_PROJECT_ID', String(mr.sourceProjectId)],
    ['CI_MERGE_REQUEST_SOURCE_PROJECT_PATH', mr.sourceProjectPath],
    ['CI_MERGE_REQUEST_SOURCE_PROJECT_URL', `${serverUrl}/${mr.sourceProjectPath}`],
    ['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', mr.sourceBranch],
    ['CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED', String(mr.sourceBranchProtected)],
  ];
}

/** GitLab's `open_merge_requests_refs`: `group/project!iid`, at most four, comma-separated. */
function openMergeRequests(facts: PipelineFacts): string | null {
  const refs = facts.openMergeRequests.slice(0, MAX_OPEN_MERGE_REQUESTS).map(({ projectPath, iid }) => `${projectPath}!${iid}`);
  return refs.length > 0 ? refs.join(',') : null;
}

/** ActiveSupport's `to_sentence` (GitLab joins assignees with it): `a`, `a and b`, `a, b, and c`. */
function toSentence(words: readonly string[]): string {
  if (words.length <= 2) return words.join(' and ');
  return `${words.slice(0, -1).join(', ')}, and ${words[words.length - 1]}`;
}

/** GitLab's `Gitlab::Utils.slugify` (the same as `@lanyard/pipelines`' `slugify`, which this library cannot import). */
function slugify(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]/gu, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}
