import { AccessLevel } from '@lanyard/access';
import { utcDate } from '../clock/clock';
import { likeContaining, orderSql } from '../common/list-filters';
import { namespaceFullPathSql } from '../database/sql-fragments';
import type { User } from '../entities/user.entity';
import type { ListGroupsQuery } from './dto/list-groups.query';

const ORDER_COLUMNS: Record<ListGroupsQuery['order_by'], string> = { name: 'n.name', path: 'n.path', id: 'n.id' };

/**
 * The conditions and order of GitLab's `GroupsFinder` on groups `n`, binding values into `params` (whose `$1` is the
 * caller's id). Without `all_available` a user sees their own groups (those they, or a project in them, are members
 * of), an admin every group, as GitLab's API defaults it. `owned`: direct Owner memberships (`User#owned_groups`).
 */
export function groupListSql(
  query: ListGroupsQuery,
  caller: User,
  today: Date,
  params: unknown[],
  listsSubgroups: boolean,
): { where: string; order: string } {
  const bind = (value: unknown) => `$${params.push(value)}`;
  const unexpired = `user_id = $1 AND (expires_at IS NULL OR expires_at > DATE '${utcDate(today)}')`;
  const conditions: string[] = [];
  const allAvailable = query.all_available ?? (caller.admin || listsSubgroups);
  if (!allAvailable) {
    conditions.push(`EXISTS (SELECT 1 FROM members WHERE ${unexpired} AND (
      (source_type = 'Namespace' AND source_id = ANY(n.traversal_ids))
      OR (source_type = 'Project' AND source_id IN (SELECT p.id FROM projects p WHERE p.namespace_id = n.id))))`);
  }
  if (query.owned) {
    conditions.push(
      `EXISTS (SELECT 1 FROM members WHERE ${unexpired} AND source_type = 'Namespace' AND source_id = n.id AND access_level = ${AccessLevel.Owner})`,
    );
  }
  if (query.min_access_level !== undefined) {
    conditions.push(`EXISTS (SELECT 1 FROM members WHERE ${unexpired} AND source_type = 'Namespace'
      AND source_id = ANY(n.traversal_ids) AND access_level >= ${bind(query.min_access_level)})`);
  }
  if (query.search !== undefined) {
    const pattern = bind(likeContaining(query.search));
    conditions.push(`(n.name ILIKE ${pattern} OR ${namespaceFullPathSql('n')} ILIKE ${pattern})`);
  }
  if (query.visibility) conditions.push(`n.visibility = ${bind(query.visibility)}`);
  if (query.top_level_only) conditions.push('n.parent_id IS NULL');
  if (query.skip_groups?.length) conditions.push(`n.id <> ALL(${bind(query.skip_groups)}::bigint[])`);
  const order = ORDER_COLUMNS[query.order_by];
  // GitLab breaks ties by id ascending whatever the direction (`order_options["id"] ||= "asc"`).
  return {
    where: conditions.map((condition) => ` AND ${condition}`).join(''),
    order: order === 'n.id' ? orderSql(order, query.sort, 'n.id') : `${order} ${query.sort === 'asc' ? 'ASC' : 'DESC'}, n.id ASC`,
  };
}
