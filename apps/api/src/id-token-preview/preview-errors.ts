import type { ServerFailureReason } from '@lanyard/pipelines';
import { DomainError, NoFacts } from '../common/domain-error';

/** Why the token preview answers no claims; GitLab-style answers are in http-errors/id-token-preview.answers.ts. */
export type PreviewErrorFacts = {
  readonly REF_NOT_FOUND: NoFacts;
  readonly JOB_NOT_IN_CONFIG: NoFacts;
  /** `merge_request_iid` decides the ref and the source: neither may come with it. */
  readonly MERGE_REQUEST_WITH_REF: NoFacts;
  readonly SOURCE_BRANCH_NOT_FOUND: NoFacts;
  /** `pipeline_source: merge_request_event` previews a merge request's pipeline: `merge_request_iid` names it. */
  readonly MERGE_REQUEST_REQUIRED: NoFacts;
  /** The job would be created, but a runner taking it now would get it failed with `reason` and no token. */
  readonly JOB_WOULD_FAIL: { readonly job: string; readonly reason: ServerFailureReason; readonly detail: string };
};

export class PreviewError<Code extends keyof PreviewErrorFacts = keyof PreviewErrorFacts> extends DomainError<PreviewErrorFacts, Code> {
  static readonly module = 'id-token-preview';
}
