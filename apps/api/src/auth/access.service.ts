import { membershipsSql } from '../database/sql-fragments';
import { Inject, Injectable } from '@nestjs/common';
import { AccessLevel, Membership, ResourceVisibility, decideAccess, groupsAtLevel, resolveAccessLevel } from '@lanyard/access';
import { EntityManager } from 'typeorm';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import { Namespace } from '../entities/namespace.entity';
import { Project } from '../entities/project.entity';
import { User } from '../entities/user.entity';
import { AuthError } from './auth-errors';

/** Effective access levels: memberships on the resource and every ancestor group, highest wins. */
@Injectable()
export class AccessService {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async levelOnGroup(user: User, group: Namespace, db: EntityManager): Promise<AccessLevel> {
    const memberships = await this.membershipsOn(db, user.id, group.traversalIds, null);
    return resolveAccessLevel(memberships, { namespaceTraversalIds: group.traversalIds });
  }

  async levelOnProject(user: User, project: Project, db: EntityManager): Promise<AccessLevel> {
    const namespace = await db.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
    const memberships = await this.membershipsOn(db, user.id, namespace.traversalIds, project.id);
    return resolveAccessLevel(memberships, { projectId: project.id, namespaceTraversalIds: namespace.traversalIds });
  }

  /** The groups of `traversalIds` (root first) where the user has at least `required`; all of them for an admin, as the guard lets one through. */
  async groupsAtLevel(user: User, traversalIds: readonly number[], required: AccessLevel, db: EntityManager): Promise<number[]> {
    if (user.admin) return [...traversalIds];
    return groupsAtLevel(await this.membershipsOn(db, user.id, traversalIds, null), traversalIds, required);
  }

  /** Refuses a user who cannot see the resource (`what` as GitLab names it), or sees it without the required level. */
  enforce(user: User, level: AccessLevel, visibility: ResourceVisibility, required: AccessLevel, what: string): void {
    const decision = decideAccess({ level, admin: user.admin, visibility, required });
    if (decision === 'not_found') throw new AuthError('RESOURCE_NOT_VISIBLE', { resource: what });
    if (decision === 'forbidden') throw new AuthError('ACCESS_LEVEL_TOO_LOW');
  }

  private async membershipsOn(
    db: EntityManager,
    userId: number,
    namespaceIds: readonly number[],
    projectId: number | null,
  ): Promise<Membership[]> {
    const rows: { source_type: 'Namespace' | 'Project'; source_id: string; access_level: number }[] = await db.query(
      `SELECT source_type, source_id, access_level FROM members WHERE ${membershipsSql('$1', '$2', '$3', '$4')}`,
      [userId, namespaceIds, projectId, utcDate(this.clock.now())],
    );
    return rows.map((row) => ({
      sourceType: row.source_type,
      sourceId: Number(row.source_id),
      accessLevel: row.access_level as AccessLevel,
    }));
  }
}
