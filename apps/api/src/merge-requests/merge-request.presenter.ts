import type { User } from '../entities/user.entity';
import { presentUserBasic } from '../users/user.presenter';
import { MergeRequest } from './merge-request.entity';

export interface MergeRequestContext {
  /** The target project's full path and web URL: the merge request lives there. */
  readonly targetFullPath: string;
  readonly targetWebUrl: string;
  /** The source branch's head in the source project (GitLab's `diff_head_sha`); null once the branch is gone. */
  readonly sha: string | null;
  readonly author: User | null;
  readonly closedBy: User | null;
  readonly externalUrl: string;
}

/** GitLab's `Entities::MergeRequest`, with the fields Lanyard has; the rest hold GitLab's empty values. */
export function presentMergeRequest(mr: MergeRequest, context: MergeRequestContext) {
  const user = (who: User | null) => (who ? presentUserBasic(who, context.externalUrl) : null);
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.targetProjectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt.toISOString(),
    updated_at: mr.updatedAt.toISOString(),
    merged_by: null,
    merge_user: null,
    merged_at: null,
    closed_by: user(context.closedBy),
    closed_at: mr.closedAt?.toISOString() ?? null,
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    user_notes_count: 0,
    upvotes: 0,
    downvotes: 0,
    author: user(context.author),
    assignees: [],
    assignee: null,
    reviewers: [],
    source_project_id: mr.sourceProjectId,
    target_project_id: mr.targetProjectId,
    labels: [],
    draft: false,
    work_in_progress: false,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status: 'unchecked',
    detailed_merge_status: 'unchecked',
    sha: context.sha,
    merge_commit_sha: null,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: false,
    reference: `!${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${context.targetFullPath}!${mr.iid}` },
    web_url: `${context.targetWebUrl}/-/merge_requests/${mr.iid}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    squash: false,
    squash_on_merge: false,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: false,
    blocking_discussions_resolved: true,
  };
}
