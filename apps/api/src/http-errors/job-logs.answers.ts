import { ApiError } from '../common/api-error';
import { JobLogError } from '../job-logs/job-log-errors';
import { section } from './table-section';

/** GitLab's answers to `PATCH /jobs/:id/trace` (lib/api/ci/runner.rb) and to `GET …/jobs/:job_id/trace`. */
export const JOB_LOG_ANSWERS = section(JobLogError, {
  JOB_TOKEN_REFUSED: ({ jobStatus }) =>
    jobStatus === undefined
      ? ApiError.forbidden()
      : new ApiError(403, { message: '403 Forbidden - Job is not processing on runner' }, { 'Job-Status': jobStatus }),
  CONTENT_RANGE_MISSING: () => new ApiError(400, { message: '400 Missing header Content-Range' }),
  CONTENT_RANGE_INVALID: () => ApiError.badRequest('Content-Range must be <start>-<end>'),
  RANGE_NOT_SATISFIABLE: {
    answer: ({ size }) => new ApiError(416, { message: '416 Range Not Satisfiable' }, { Range: `0-${size}` }),
    example: { size: 0 },
  },
  JOB_NOT_FOUND: () => ApiError.notFound('Job'),
  JOB_TOKEN_UNAUTHORIZED: () => ApiError.unauthorized(),
});
