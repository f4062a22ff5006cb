import type { EntityManager } from 'typeorm';
import { MergeRequest } from '../merge-requests/merge-request.entity';
import { MergeRequestError } from '../merge-requests/merge-request-errors';
import { MergeRequestsService } from '../merge-requests/merge-requests.service';
import type { PipelinePlan } from '../pipelines/pipeline-plan';
import { PIPELINE_SOURCES, PipelineSource } from '../pipelines/pipeline.entity';
import type { Project } from '../entities/project.entity';
import { RepositoryService, ResolvedRef } from '../repository/repository.service';
import { PreviewError } from './preview-errors';

/** How the previewed pipeline starts: a pipeline source, or `tag` for a push of a tag (source `push`, a tag ref). */
export const PREVIEW_SOURCES = [...PIPELINE_SOURCES, 'tag'] as const;
export type PreviewSource = (typeof PREVIEW_SOURCES)[number];

export interface PreviewedPipelineAsked {
  readonly ref?: string;
  readonly merge_request_iid?: number;
  readonly pipeline_source?: PreviewSource;
}

/** What a preview runs: `ref` (resolved where `projectId`'s code is), and the merge request it runs for, if any. */
export interface PreviewedCode {
  readonly ref: ResolvedRef;
  /** Where the code and its `.gitlab-ci.yml` are read: this project, or a merge request's source project. */
  readonly projectId: number;
  readonly mergeRequest: MergeRequest | null;
  readonly source: PipelineSource;
}

/**
 * The code the previewed pipeline runs: a ref of this project, or a merge request's source branch, read where
 * `MergeRequestPipelinesService` reads it (a fork, for a fork's merge request). A maintainer of this project may run
 * it here, so here it is imagined.
 */
export async function previewedCode(
  tx: EntityManager,
  repository: RepositoryService,
  mergeRequests: MergeRequestsService,
  project: Project,
  asked: PreviewedPipelineAsked,
): Promise<PreviewedCode> {
  const source = asked.pipeline_source;
  if (asked.merge_request_iid === undefined) {
    if (source === 'merge_request_event') throw new PreviewError('MERGE_REQUEST_REQUIRED');
    // A tag pipeline is a push of a tag: only a tag answers, even where a branch has the same name.
    const wanted = source === 'tag' && !asked.ref!.startsWith('refs/') ? `refs/tags/${asked.ref}` : asked.ref!;
    const ref = await repository.resolveRef(tx, project.id, wanted);
    if (!ref) throw new PreviewError('REF_NOT_FOUND');
    if (source === 'tag' && ref.refType !== 'tag') throw new PreviewError('REF_NOT_FOUND');
    return { ref, projectId: project.id, mergeRequest: null, source: source === 'tag' || !source ? 'push' : source };
  }
  if (asked.ref !== undefined || (source !== undefined && source !== 'merge_request_event')) {
    throw new PreviewError('MERGE_REQUEST_WITH_REF');
  }
  const mergeRequest = await mergeRequests.find(tx, project, asked.merge_request_iid);
  // As creating its pipeline: no code is left to run once the source project is deleted.
  if (mergeRequest.sourceProjectId === null) throw new MergeRequestError('SOURCE_PROJECT_DELETED');
  const head = await repository.findRef(tx, mergeRequest.sourceProjectId, 'branch', mergeRequest.sourceBranch);
  if (!head) throw new PreviewError('SOURCE_BRANCH_NOT_FOUND');
  const ref: ResolvedRef = { name: mergeRequest.sourceBranch, refType: 'branch', sha: head.commitSha };
  return { ref, projectId: mergeRequest.sourceProjectId, mergeRequest, source: 'merge_request_event' };
}

/**
 * The plan pipeline creation would be given for `code`: a merge request's as `MergeRequestPipelinesService#inTarget`
 * (the target's `refs/merge-requests/<iid>/head`, never protected, the source's code), a ref's as a push or a run.
 */
export function previewPlan(code: PreviewedCode, refProtected: boolean): PipelinePlan {
  const { ref, mergeRequest } = code;
  return {
    ref: mergeRequest ? `refs/merge-requests/${mergeRequest.iid}/head` : ref.name,
    sourceRef: ref.name,
    tag: ref.refType === 'tag',
    sha: ref.sha,
    refProtected: mergeRequest ? false : refProtected,
    configProjectId: code.projectId,
    source: code.source,
    mergeRequestId: mergeRequest?.id ?? null,
    variables: [],
  };
}
