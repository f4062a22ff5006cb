import { likeContaining } from '../common/list-filters';
import type { ListMembersQuery } from './dto/list-members.query';

/** GitLab's `MembersFinder` filters on member rows `m`, as ` AND …` conditions binding their values into `params`. */
export function memberFiltersSql(query: ListMembersQuery, params: unknown[]): string {
  const bind = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  if (query.query !== undefined) {
    const pattern = bind(likeContaining(query.query));
    conditions.push(`EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id AND (u.name ILIKE ${pattern} OR u.username ILIKE ${pattern}))`);
  }
  if (query.user_ids?.length) conditions.push(`m.user_id = ANY(${bind(query.user_ids)}::bigint[])`);
  if (query.skip_users?.length) conditions.push(`m.user_id <> ALL(${bind(query.skip_users)}::bigint[])`);
  return conditions.map((condition) => ` AND ${condition}`).join('');
}
