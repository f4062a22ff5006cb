import { IsOptionalFlag } from '../../common/dto-transforms';
import { PageQuery } from '../../common/pagination';

/** GitLab's `GET /projects/:id/pipelines/:pipeline_id/jobs`: retried jobs (replaced by a copy) only when asked. */
export class PipelineJobsQuery extends PageQuery {
  @IsOptionalFlag()
  include_retried?: boolean;
}
