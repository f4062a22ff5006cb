import { ApiError } from '../common/api-error';
import { PreviewError } from '../id-token-preview/preview-errors';
import { section } from './table-section';

export const PREVIEW_ANSWERS = section(PreviewError, {
  REF_NOT_FOUND: () => ApiError.invalidField('ref', 'not found'),
  JOB_NOT_IN_CONFIG: () => ApiError.invalidField('job', 'is not a job of this CI config'),
  MERGE_REQUEST_WITH_REF: () =>
    ApiError.badRequest(
      'merge_request_iid and ref are mutually exclusive, and a merge request’s pipeline_source is merge_request_event: a merge request decides the ref and the source',
    ),
  SOURCE_BRANCH_NOT_FOUND: () => ApiError.invalidField('merge_request_iid', 'source branch not found'),
  MERGE_REQUEST_REQUIRED: () => ApiError.invalidField('merge_request_iid', 'is required for pipeline_source merge_request_event'),
  JOB_WOULD_FAIL: {
    answer: ({ job, reason, detail }) =>
      new ApiError(422, {
        error: 'job_would_fail',
        failure_reason: reason,
        message: `jobs:${job} would fail when a runner takes it (${reason}): ${detail}`,
      }),
    example: { job: 'deploy', reason: 'secrets_provider_not_found', detail: 'the job has secrets but no VAULT_SERVER_URL variable' },
  },
});
