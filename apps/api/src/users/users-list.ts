import { SelectQueryBuilder } from 'typeorm';
import { User } from '../entities/user.entity';
import { ListUsersQuery, UserOrder } from './dto/list-users.query';

/** GitLab's `MIN_CHARS_FOR_PARTIAL_MATCHING`: shorter words only ever match a whole name or username. */
const MIN_PARTIAL_CHARS = 3;

const ORDER_COLUMNS: Record<UserOrder, string> = {
  id: 'u.id',
  name: 'u.name',
  username: 'u.username',
  created_at: 'u.created_at',
};

/** Who lists: an admin sees every user and may use the admin filters and ordering; anyone else does not. */
export interface UserListViewer {
  readonly admin: boolean;
}

/**
 * GitLab's `UsersFinder` as `GET /users` runs it. For someone who is not an admin, blocked users are left out
 * (`without_forbidden_states`) and `admins`, `created_*`, `order_by` and `sort` are dropped (`params.except!`).
 */
export function filterUsers(users: SelectQueryBuilder<User>, query: ListUsersQuery, viewer: UserListViewer): void {
  if (!viewer.admin) users.andWhere(`u.state <> 'blocked'`);
  if (query.username !== undefined) users.andWhere('lower(u.username) = lower(:username)', { username: query.username });
  if (query.active) users.andWhere(`u.state = 'active'`);
  if (query.blocked) users.andWhere(`u.state = 'blocked'`);
  if (query.external) users.andWhere('false');
  if (viewer.admin && query.admins) users.andWhere('u.admin');
  if (viewer.admin && query.created_after) users.andWhere('u.created_at >= :createdAfter', { createdAfter: query.created_after });
  if (viewer.admin && query.created_before) users.andWhere('u.created_at <= :createdBefore', { createdBefore: query.created_before });
  const search = searchText(query.search);
  if (search !== undefined) matchSearch(users, search, viewer);
  orderUsers(users, query, viewer, search);
}

/** GitLab searches only a `present?` text, without a leading `@`, in lower case. */
function searchText(search: string | undefined): string | undefined {
  if (search === undefined || search.trim() === '') return undefined;
  return search.replace(/^@/, '').trim().toLowerCase();
}

/**
 * GitLab's `User.search`: the name or the username, each word of three characters or more as a substring (all of
 * them), or the whole text when no word is that long; the primary email, exactly, only for an admin (anyone else
 * would learn who owns an address). Lanyard keeps no public email, GitLab's other exact match.
 */
function matchSearch(users: SelectQueryBuilder<User>, search: string, viewer: UserListViewer): void {
  if (search === '') {
    users.andWhere('false');
    return;
  }
  const words = search.split(/\s+/).filter((word) => word.length >= MIN_PARTIAL_CHARS);
  const params: Record<string, string> = { search };
  const fuzzy = (column: string) => {
    if (words.length === 0) return `lower(${column}) = :search`;
    return words.map((_word, index) => `${column} ILIKE :word${index}`).join(' AND ');
  };
  words.forEach((word, index) => (params[`word${index}`] = `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`));
  const email = viewer.admin ? ' OR lower(u.email) = :search' : '';
  users.andWhere(`((${fuzzy('u.name')}) OR (${fuzzy('u.username')})${email})`, params);
}

/**
 * Without a search, newest first (`order_id_desc`). An admin's `order_by`/`sort` (GitLab's defaults `id`, `desc`)
 * always apply, with the id as tie-breaker; anyone else's search is ordered by relevance: the exact username, then
 * the exact name, then by name and id.
 */
function orderUsers(users: SelectQueryBuilder<User>, query: ListUsersQuery, viewer: UserListViewer, search: string | undefined): void {
  if (viewer.admin || search === undefined) {
    const direction = viewer.admin && query.sort === 'asc' ? 'ASC' : 'DESC';
    const column = ORDER_COLUMNS[viewer.admin ? (query.order_by ?? 'id') : 'id'];
    users.orderBy(column, direction);
    if (column !== 'u.id') users.addOrderBy('u.id', direction);
    return;
  }
  users
    .orderBy(`CASE WHEN lower(u.username) = :search THEN 1 WHEN lower(u.name) = :search THEN 2 ELSE 3 END`, 'ASC')
    .addOrderBy('u.name', 'ASC')
    .addOrderBy('u.id', 'ASC');
}
