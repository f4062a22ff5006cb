import { IsFilterId, IsFilterText, NotBuilt } from '../../common/list-filters';
import { PageQuery } from '../../common/pagination';

/** GitLab's `GET …/members` and `…/members/all` filters (`lib/api/members.rb`), each applied or refused. */
export class ListMembersQuery extends PageQuery {
  /** Part of a member's name or username (GitLab's `User.search`). */
  @IsFilterText()
  query?: string;

  @IsFilterId(true)
  user_ids?: number[];

  @IsFilterId(true)
  skip_users?: number[];

  /** GitLab Premium's awaiting/active seats: Lanyard has no seats. */
  @NotBuilt()
  state?: unknown;
}
