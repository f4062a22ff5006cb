import { IsOptionalFlag } from '../../common/dto-transforms';
import { IsFilterId, IsFilterText, IsMinAccessLevel, IsOneOf, IsSortDirection, NotBuilt, SortDirection } from '../../common/list-filters';
import { PageQuery } from '../../common/pagination';
import { VISIBILITIES, Visibility } from '../../common/visibility';

/** GitLab's group `order_by` values, but `similarity` (a search ranking Lanyard does not compute). */
export const GROUP_ORDERS = ['name', 'path', 'id'] as const;

/** GitLab's `GET /groups` and `GET /groups/:id/subgroups` filters (`lib/api/groups.rb`), each applied or refused. */
export class ListGroupsQuery extends PageQuery {
  @IsFilterText()
  search?: string;

  @IsOneOf(VISIBILITIES)
  visibility?: Visibility;

  /** Every group the caller may see; by default GitLab lists a user's own groups (an admin's: all). */
  @IsOptionalFlag()
  all_available?: boolean;

  @IsOptionalFlag()
  owned?: boolean;

  @IsMinAccessLevel()
  min_access_level?: number;

  @IsOptionalFlag()
  top_level_only?: boolean;

  @IsFilterId(true)
  skip_groups?: number[];

  @IsOneOf(GROUP_ORDERS)
  order_by: (typeof GROUP_ORDERS)[number] = 'name';

  @IsSortDirection()
  sort: SortDirection = 'asc';

  @NotBuilt()
  marked_for_deletion_on?: unknown;

  @NotBuilt()
  active?: unknown;

  @NotBuilt()
  repository_storage?: unknown;
}
