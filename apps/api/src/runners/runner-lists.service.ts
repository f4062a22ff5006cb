import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource, In } from 'typeorm';
import { Caller } from '../auth/caller';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import { Page } from '../common/pagination';
import { Namespace } from '../entities/namespace.entity';
import { Project } from '../entities/project.entity';
import type { ListAllRunnersQuery, ListRunnersQuery, RunnerScopeFilter } from './dto/list-runners.query';
import { Runner } from './runner.entity';
import { ONLINE_CONTACT_MS, STALE_MS, presentRunner } from './runner.presenter';
import { RunnerError } from './runner-errors';

/** A WHERE clause and its parameters, numbered from `$1`. */
interface Condition {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * GitLab's runner lists (`API::Runners`): the caller's own runners, every runner (admins), and those a project or a
 * group can use, with the `scope`, `type`, `paused`, `status` and `tag_list` filters, ordered by id.
 */
@Injectable()
export class RunnerListsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * `GET /runners`: GitLab's `ci_owned_runners`, the runners of projects the caller maintains and of groups (or their
   * subgroups) the caller owns. An admin's role gives no more here: every runner is `GET /runners/all`.
   */
  mine(caller: Caller, query: ListRunnersQuery): Promise<Page<ReturnType<typeof presentRunner>>> {
    const member = `m.user_id = $1 AND (m.expires_at IS NULL OR m.expires_at > $2)`;
    return this.list(query, {
      sql: `((r.runner_type = 'project_type' AND EXISTS (
               SELECT 1 FROM projects p JOIN namespaces n ON n.id = p.namespace_id JOIN members m ON ${member}
                  AND ((m.source_type = 'Project' AND m.source_id = p.id) OR (m.source_type = 'Namespace' AND m.source_id = ANY(n.traversal_ids)))
                WHERE p.id = r.project_id AND m.access_level >= ${AccessLevel.Maintainer}))
          OR (r.runner_type = 'group_type' AND EXISTS (
               SELECT 1 FROM namespaces g JOIN members m ON ${member} AND m.source_type = 'Namespace' AND m.source_id = ANY(g.traversal_ids)
                WHERE g.id = r.namespace_id AND m.access_level >= ${AccessLevel.Owner})))`,
      params: [caller.user.id, utcDate(this.clock.now())],
    });
  }

  /** `GET /runners/all`: administrators only, as GitLab's `authenticated_as_admin!`. */
  all(caller: Caller, query: ListAllRunnersQuery): Promise<Page<ReturnType<typeof presentRunner>>> {
    if (!caller.user.admin) throw new RunnerError('ADMIN_ONLY');
    return this.list(query, { sql: 'TRUE', params: [] });
  }

  /** `GET /projects/:id/runners` (access checked by the route): GitLab's `owned_or_instance_wide`. */
  async ofProject(project: Project, query: ListRunnersQuery): Promise<Page<ReturnType<typeof presentRunner>>> {
    const namespace = await this.db.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
    return this.list(query, {
      sql: `((r.runner_type = 'project_type' AND r.project_id = $1) OR (r.runner_type = 'group_type' AND r.namespace_id = ANY($2::bigint[]))
             OR r.runner_type = 'instance_type')`,
      params: [project.id, namespace.traversalIds],
    });
  }

  /** `GET /groups/:id/runners` (access checked by the route): the group's and its ancestors' runners, and the instance's. */
  ofGroup(group: Namespace, query: ListRunnersQuery): Promise<Page<ReturnType<typeof presentRunner>>> {
    return this.list(query, {
      sql: `((r.runner_type = 'group_type' AND r.namespace_id = ANY($1::bigint[])) OR r.runner_type = 'instance_type')`,
      params: [group.traversalIds],
    });
  }

  private async list(query: ListRunnersQuery | ListAllRunnersQuery, base: Condition): Promise<Page<ReturnType<typeof presentRunner>>> {
    const now = this.clock.now();
    const params = [...base.params];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where = [base.sql];
    for (const filter of [query.scope, query.status]) if (filter) where.push(statusSql(filter, bind, now));
    if (query.type) where.push(`r.runner_type = ${bind(query.type)}`);
    if (query.paused !== undefined) where.push(`r.active = ${bind(!query.paused)}`);
    if (query.tag_list?.length) where.push(`r.tag_list @> ${bind(query.tag_list)}::text[]`);
    const condition = where.join(' AND ');
    const [{ count }]: { count: string }[] = await this.db.query(`SELECT count(*) AS count FROM ci_runners r WHERE ${condition}`, params);
    const ids: { id: string }[] = await this.db.query(
      `SELECT r.id FROM ci_runners r WHERE ${condition} ORDER BY r.id LIMIT ${query.per_page} OFFSET ${query.offset}`,
      params,
    );
    const runners = ids.length
      ? await this.db.getRepository(Runner).find({ where: { id: In(ids.map(({ id }) => Number(id))) }, order: { id: 'ASC' } })
      : [];
    return new Page(
      runners.map((runner) => presentRunner(runner, now)),
      Number(count),
      query,
    );
  }
}

/** GitLab's runner scopes (`Ci::Runner.active`, `.online`, `.stale`, …) as SQL. */
function statusSql(filter: RunnerScopeFilter, bind: (value: unknown) => string, now: Date): string {
  const online = () => bind(new Date(now.getTime() - ONLINE_CONTACT_MS));
  switch (filter) {
    case 'active':
      return 'r.active';
    case 'paused':
      return 'NOT r.active';
    case 'online':
      return `r.contacted_at > ${online()}`;
    case 'offline':
      return `r.contacted_at <= ${online()}`;
    case 'never_contacted':
      return 'r.contacted_at IS NULL';
    case 'stale': {
      const deadline = bind(new Date(now.getTime() - STALE_MS));
      return `(r.created_at <= ${deadline} AND (r.contacted_at IS NULL OR r.contacted_at <= ${deadline}))`;
    }
    case 'specific':
      return `r.runner_type <> 'instance_type'`;
    case 'shared':
      return `r.runner_type = 'instance_type'`;
  }
}
