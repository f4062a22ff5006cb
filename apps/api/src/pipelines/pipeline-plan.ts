import type { PipelineSource, PipelineVariable } from './pipeline.entity';

/** What a new pipeline runs: decided by the use case creating it, stored as given. */
export interface PipelinePlan {
  /** The branch or tag name; GitLab's `refs/merge-requests/<iid>/head` for a merge-request pipeline in the target. */
  readonly ref: string;
  /** The branch or tag the code is from (GitLab's `source_ref`): the `ref` claim and `CI_COMMIT_REF_NAME`. */
  readonly sourceRef: string;
  readonly tag: boolean;
  readonly sha: string;
  readonly refProtected: boolean;
  /** Where `.gitlab-ci.yml` is read at `sha`: the pipeline's project, or a merge request's source project. */
  readonly configProjectId: number;
  readonly source: PipelineSource;
  readonly mergeRequestId: number | null;
  readonly variables: readonly PipelineVariable[];
  /** A push's previous head, when it moved a branch: the diff `rules:changes` reads. None for a new branch or tag. */
  readonly beforeSha?: string | null;
}
