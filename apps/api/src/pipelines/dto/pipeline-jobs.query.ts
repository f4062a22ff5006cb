import { IsOptionalFlag } from '../../common/dto-transforms';
import { JobScopeQuery } from './job-scope.query';

/** GitLab's `GET /projects/:id/pipelines/:pipeline_id/jobs`: retried jobs (replaced by a copy) only when asked. */
export class PipelineJobsQuery extends JobScopeQuery {
  @IsOptionalFlag()
  include_retried?: boolean;
}
