import { AVAILABLE_STATUSES } from '@lanyard/pipelines';
import { IsOptionalFlag } from '../../common/dto-transforms';
import { IsFilterText, IsFilterTime, IsOneOf, IsSortDirection, SortDirection } from '../../common/list-filters';
import { PageQuery } from '../../common/pagination';
import { PIPELINE_SOURCES, PipelineSource } from '../pipeline.entity';

/** GitLab's `Ci::PipelinesFinder::ALLOWED_SCOPES`. */
export const PIPELINE_SCOPES = ['running', 'pending', 'finished', 'branches', 'tags'] as const;
/** GitLab's `Ci::HasStatus::AVAILABLE_STATUSES`: all are accepted, those Lanyard never sets match nothing. */
export const PIPELINE_STATUS_FILTERS = AVAILABLE_STATUSES;
/** GitLab's `Ci::PipelinesFinder::ALLOWED_INDEXED_COLUMNS`. */
export const PIPELINE_ORDERS = ['id', 'status', 'ref', 'updated_at', 'user_id'] as const;

/** GitLab's `GET /projects/:id/pipelines` filters (`lib/api/ci/pipelines.rb`), each applied or refused. */
export class ListPipelinesQuery extends PageQuery {
  @IsOneOf(PIPELINE_SOURCES)
  source?: PipelineSource;

  @IsOneOf(PIPELINE_SCOPES)
  scope?: (typeof PIPELINE_SCOPES)[number];

  @IsOneOf(PIPELINE_STATUS_FILTERS)
  status?: (typeof PIPELINE_STATUS_FILTERS)[number];

  @IsFilterText()
  ref?: string;

  @IsFilterText()
  sha?: string;

  @IsFilterText()
  username?: string;

  @IsFilterText()
  name?: string;

  @IsOptionalFlag()
  yaml_errors?: boolean;

  @IsFilterTime()
  created_after?: string;

  @IsFilterTime()
  created_before?: string;

  @IsFilterTime()
  updated_after?: string;

  @IsFilterTime()
  updated_before?: string;

  @IsOneOf(PIPELINE_ORDERS)
  order_by: (typeof PIPELINE_ORDERS)[number] = 'id';

  @IsSortDirection()
  sort: SortDirection = 'desc';
}
