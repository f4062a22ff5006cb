import { AccessLevel } from '@lanyard/access';
import { utcDate } from '../clock/clock';
import { likeContaining, orderSql } from '../common/list-filters';
import { membershipsSql, namespaceFullPathSql } from '../database/sql-fragments';
import type { ListProjectsQuery } from './dto/list-projects.query';

const ORDER_COLUMNS: Record<ListProjectsQuery['order_by'], string> = {
  id: 'p.id',
  name: 'p.name',
  path: 'p.path',
  created_at: 'p.created_at',
};

/**
 * The conditions and order of GitLab's `ProjectsFinder` on projects `p` in namespaces `n`, binding values into
 * `params` (whose `$1` is the caller's id). `owned` is GitLab's `owned_projects`: those the caller holds Owner on.
 */
export function projectListSql(query: ListProjectsQuery, today: Date, params: unknown[]): { where: string; order: string } {
  const bind = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  const minimum = Math.max(query.membership ? AccessLevel.Guest : 0, query.owned ? AccessLevel.Owner : 0, query.min_access_level ?? 0);
  if (minimum > 0) {
    const memberships = membershipsSql('$1', 'n.traversal_ids', 'p.id', `DATE '${utcDate(today)}'`);
    conditions.push(`EXISTS (SELECT 1 FROM members WHERE ${memberships} AND access_level >= ${bind(minimum)})`);
  }
  if (query.search !== undefined) {
    const pattern = bind(likeContaining(query.search));
    const fields = ['p.name', 'p.path', 'p.description'];
    if (query.search_namespaces) fields.push(`(${namespaceFullPathSql('n')} || '/' || p.path)`);
    conditions.push(`(${fields.map((field) => `${field} ILIKE ${pattern}`).join(' OR ')})`);
  }
  if (query.visibility) conditions.push(`p.visibility = ${bind(query.visibility)}`);
  if (query.archived) conditions.push('false');
  if (query.id_after !== undefined) conditions.push(`p.id > ${bind(query.id_after)}`);
  if (query.id_before !== undefined) conditions.push(`p.id < ${bind(query.id_before)}`);
  return {
    where: conditions.map((condition) => ` AND ${condition}`).join(''),
    order: orderSql(ORDER_COLUMNS[query.order_by], query.sort, 'p.id'),
  };
}
