import { Inject, Injectable } from '@nestjs/common';
import {
  AccessLevel,
  DeployAccessRule,
  Deployer,
  GroupInheritanceType,
  DeployAccessLevel,
  Membership,
  isProtectedFrom,
} from '@lanyard/access';
import { EntityManager } from 'typeorm';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import type { User } from '../entities/user.entity';

/** The project a deploy goes to, as deploy rules see it. */
export interface DeployTarget {
  readonly projectId: number;
  readonly namespaceTraversalIds: readonly number[];
}

export interface DeployDecision {
  readonly protected: boolean;
  /** False: GitLab's `protected_environment_failure`. */
  readonly allowed: boolean;
}

interface RuleRow {
  name: string;
  access_level: number | null;
  user_id: string | null;
  group_inheritance_type: number | null;
  group_traversal_ids: number[] | null;
}

/** Loads protected environments' rules and the deploying user's memberships; `isProtectedFrom` (libs/access) decides. */
@Injectable()
export class DeployAccessService {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** Whether `user` may deploy to the environment `name` of the target, and whether it is protected. Runs only on `db`. */
  async decide(db: EntityManager, target: DeployTarget, user: User | null, name: string): Promise<DeployDecision> {
    const rules = (await this.rulesFor(db, target.projectId, [name])).get(name) ?? null;
    if (rules === null) return { protected: false, allowed: true };
    return { protected: true, allowed: !isProtectedFrom(rules, await this.deployer(db, user, target)) };
  }

  /** Of these environment names, the ids of those `user` may not deploy to (GitLab's `protected_environment_failure`). */
  async refused(db: EntityManager, target: DeployTarget, user: User | null, names: ReadonlyMap<number, string>): Promise<number[]> {
    const rules = await this.rulesFor(db, target.projectId, [...new Set(names.values())]);
    if (rules.size === 0) return [];
    const deployer = await this.deployer(db, user, target);
    return [...names].filter(([, name]) => isProtectedFrom(rules.get(name) ?? null, deployer)).map(([id]) => id);
  }

  /** Each protected name among `names`, with its rules (an unprotected name is absent). */
  private async rulesFor(db: EntityManager, projectId: number, names: readonly string[]): Promise<Map<string, DeployAccessRule[]>> {
    if (names.length === 0) return new Map();
    const rows: RuleRow[] = await db.query(
      `SELECT e.name, a.access_level, a.user_id, a.group_inheritance_type, g.traversal_ids AS group_traversal_ids
         FROM protected_environments e
         LEFT JOIN protected_environment_deploy_access_levels a ON a.protected_environment_id = e.id
         LEFT JOIN namespaces g ON g.id = a.group_id
        WHERE e.project_id = $1 AND e.name = ANY($2)`,
      [projectId, names],
    );
    const rules = new Map<string, DeployAccessRule[]>();
    for (const row of rows) {
      const list = rules.get(row.name) ?? [];
      rules.set(row.name, list);
      if (row.user_id !== null) list.push({ type: 'user', userId: Number(row.user_id) });
      else if (row.group_traversal_ids !== null) {
        list.push({
          type: 'group',
          groupTraversalIds: row.group_traversal_ids.map(Number),
          groupInheritanceType: row.group_inheritance_type as GroupInheritanceType,
        });
      } else if (row.access_level !== null) list.push({ type: 'role', accessLevel: row.access_level as DeployAccessLevel });
    }
    return rules;
  }

  /** Every group membership of the user (rules may name any group) and their membership of the project. */
  private async deployer(db: EntityManager, user: User | null, target: DeployTarget): Promise<Deployer | null> {
    if (!user) return null;
    const rows: { source_type: 'Namespace' | 'Project'; source_id: string; access_level: number }[] = await db.query(
      `SELECT source_type, source_id, access_level FROM members
        WHERE user_id = $1
          AND (expires_at IS NULL OR expires_at > $3)
          AND (source_type = 'Namespace' OR (source_type = 'Project' AND source_id = $2))`,
      [user.id, target.projectId, utcDate(this.clock.now())],
    );
    const memberships: Membership[] = rows.map((row) => ({
      sourceType: row.source_type,
      sourceId: Number(row.source_id),
      accessLevel: row.access_level as AccessLevel,
    }));
    return {
      userId: user.id,
      admin: user.admin,
      memberships,
      project: { projectId: target.projectId, namespaceTraversalIds: target.namespaceTraversalIds },
    };
  }
}
