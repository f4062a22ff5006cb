import { IsOptionalFlag } from '../../common/dto-transforms';
import {
  IsFilterId,
  IsFilterText,
  IsMinAccessLevel,
  IsOneOf,
  IsSortDirection,
  NotBuilt,
  NotBuiltFlag,
  SortDirection,
} from '../../common/list-filters';
import { PageQuery } from '../../common/pagination';
import { VISIBILITIES, Visibility } from '../../common/visibility';

/** GitLab's `order_by` values Lanyard keeps data for (no activity, update or star counts are kept). */
export const PROJECT_ORDERS = ['id', 'name', 'path', 'created_at'] as const;

/** GitLab's `GET /projects` and `GET /groups/:id/projects` filters (`lib/api/projects.rb`), each applied or refused. */
export class ListProjectsQuery extends PageQuery {
  @IsFilterText()
  search?: string;

  @IsOptionalFlag()
  search_namespaces?: boolean;

  @IsOneOf(VISIBILITIES)
  visibility?: Visibility;

  @IsOptionalFlag()
  owned?: boolean;

  @IsOptionalFlag()
  membership?: boolean;

  @IsMinAccessLevel()
  min_access_level?: number;

  /** No project is ever archived in Lanyard: `true` finds none, `false` all. */
  @IsOptionalFlag()
  archived?: boolean;

  @IsFilterId()
  id_after?: number;

  @IsFilterId()
  id_before?: number;

  @IsOneOf(PROJECT_ORDERS)
  order_by: (typeof PROJECT_ORDERS)[number] = 'created_at';

  @IsSortDirection()
  sort: SortDirection = 'desc';

  @NotBuiltFlag()
  starred?: boolean;

  @NotBuiltFlag()
  imported?: boolean;

  @NotBuiltFlag()
  with_issues_enabled?: boolean;

  @NotBuiltFlag()
  with_merge_requests_enabled?: boolean;

  @NotBuilt()
  with_programming_language?: unknown;

  @NotBuilt()
  last_activity_after?: unknown;

  @NotBuilt()
  last_activity_before?: unknown;

  @NotBuilt()
  updated_after?: unknown;

  @NotBuilt()
  updated_before?: unknown;

  @NotBuilt()
  topic?: unknown;

  @NotBuilt()
  topic_id?: unknown;

  @NotBuilt()
  repository_storage?: unknown;
}
