import type { SelectQueryBuilder } from 'typeorm';
import { COMPLETED_STATUSES } from '@lanyard/pipelines';
import { orderOf } from '../common/list-filters';
import type { ListPipelinesQuery } from './dto/list-pipelines.query';
import type { Pipeline } from './pipeline.entity';

/** The time a pipeline last changed, as its `updated_at` shows it (pipeline.presenter.ts). */
const UPDATED_AT = 'COALESCE(p.finished_at, p.started_at, p.created_at)';

const ORDER_COLUMNS: Record<ListPipelinesQuery['order_by'], string> = {
  id: 'p.id',
  status: 'p.status',
  ref: 'p.ref',
  updated_at: UPDATED_AT,
  user_id: 'p.user_id',
};

/**
 * GitLab's `Ci::PipelinesFinder` on a project's pipelines (`p`): every filter the query names, then its order.
 * `branches` and `tags` keep the latest pipeline of each branch or tag, as GitLab's scopes do.
 */
export function filterPipelines(list: SelectQueryBuilder<Pipeline>, query: ListPipelinesQuery): SelectQueryBuilder<Pipeline> {
  const latestPerRef = (tag: boolean) =>
    `p.id IN (SELECT max(l.id) FROM ci_pipelines l WHERE l.project_id = p.project_id AND l.tag = ${tag} GROUP BY l.ref)`;
  if (query.scope === 'running' || query.scope === 'pending') list.andWhere('p.status = :scope', { scope: query.scope });
  if (query.scope === 'finished') list.andWhere('p.status IN (:...finished)', { finished: COMPLETED_STATUSES });
  if (query.scope === 'branches') list.andWhere(latestPerRef(false));
  if (query.scope === 'tags') list.andWhere(latestPerRef(true));
  if (query.status) list.andWhere('p.status = :status', { status: query.status });
  if (query.source) list.andWhere('p.source = :source', { source: query.source });
  if (query.ref) list.andWhere('p.ref = :ref', { ref: query.ref });
  if (query.sha) list.andWhere('p.sha = :sha', { sha: query.sha });
  if (query.name) list.andWhere('p.name = :name', { name: query.name });
  if (query.username) list.andWhere('p.user_id = (SELECT u.id FROM users u WHERE lower(u.username) = lower(:username))', query);
  if (query.yaml_errors !== undefined) list.andWhere(`p.yaml_errors IS ${query.yaml_errors ? 'NOT ' : ''}NULL`);
  if (query.created_after) list.andWhere('p.created_at >= :createdAfter', { createdAfter: query.created_after });
  if (query.created_before) list.andWhere('p.created_at <= :createdBefore', { createdBefore: query.created_before });
  if (query.updated_after) list.andWhere(`${UPDATED_AT} >= :updatedAfter`, { updatedAfter: query.updated_after });
  if (query.updated_before) list.andWhere(`${UPDATED_AT} <= :updatedBefore`, { updatedBefore: query.updated_before });
  return list.orderBy(orderOf(ORDER_COLUMNS[query.order_by], query.sort, 'p.id'));
}
