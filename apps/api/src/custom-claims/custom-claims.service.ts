import {
  type ClaimNameRegistry,
  type CustomClaimDefinition,
  type CustomClaimLevel,
  claimSource,
  mergeCustomClaims,
  type ClaimOwner,
  type ClaimTree,
  describeError,
  levelRef,
  levelsOf,
  ownerKey,
  replacementErrors,
} from '@lanyard/id-tokens';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { Page, PageQuery } from '../common/pagination';
import type { Namespace } from '../entities/namespace.entity';
import type { Project } from '../entities/project.entity';
import {
  ClaimEventRow,
  TreeScope,
  listClaimEvents,
  loadClaimTree,
  lockClaimHierarchy,
  recordClaimEvent,
  writeClaims,
} from './custom-claims.repository';
import { ReplaceCustomClaimsDto } from './dto/custom-claims.dto';
import { ClaimSettingsError } from './claim-settings-errors';

/** The stored levels above a project's jobs, root group first, and the registry entries of the names in play. */
export interface ProjectClaimRules {
  readonly levels: readonly CustomClaimLevel[];
  readonly names: ClaimNameRegistry;
  /** The project's namespace traversal ids: where its own jobs' `jwt_claims` are written. */
  readonly namespaceIds: readonly number[];
}

/** A group or project whose claims are read or written, with what it takes to find its levels. */
export type ClaimLevel = { readonly kind: 'group'; readonly group: Namespace } | { readonly kind: 'project'; readonly project: Project };

/** `GET/PUT /groups|projects/:id/ci/id_token_claims` and their events. */
@Injectable()
export class CustomClaimsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The level's own claims, or (`effective`) the merged set from the root group down to it, each with its source. */
  async show(level: ClaimLevel, effective: boolean | undefined) {
    const tree = await loadClaimTree(this.db.manager, scopeOf(level, false, []));
    const owner = ownerOf(level);
    if (!effective) return { claims: presentDefinitions(tree.claims.get(ownerKey(owner)) ?? []) };
    const merged = mergeCustomClaims(levelsOf(tree, owner), tree.names);
    // Every write is checked against the levels above and below, so stored levels merge; should they not (a project
    // moved under a group that locks its claim), the conflict is named rather than one side silently preferred.
    if (!merged.ok) throw new ClaimSettingsError('STORED_CLAIMS_CONFLICT', { reasons: merged.errors.map((error) => error.message) });
    return { claims: merged.claims.map(({ key, value, mutable, source }) => ({ key, value, mutable, source })) };
  }

  /** Replaces the level's set in one transaction; nothing changes unless it merges with every level above and below. */
  async replace(caller: Caller, level: ClaimLevel, dto: ReplaceCustomClaimsDto) {
    const next: CustomClaimDefinition[] = dto.claims.map((claim) => ({
      key: claim.key,
      value: claim.value,
      mutable: claim.mutable ?? false,
    }));
    const owner = ownerOf(level);
    await this.db.transaction(async (tx) => {
      await lockClaimHierarchy(tx, level.kind === 'group' ? level.group.id : level.project.namespaceId);
      const tree = await loadClaimTree(tx, scopeOf(level, true, [Object.fromEntries(next.map((claim) => [claim.key, claim.value]))]));
      const written = levelRef(tree, owner);
      const errors = replacementErrors(tree, owner, next);
      if (errors.length) throw new ClaimSettingsError('CLAIMS_INVALID', { reasons: errors.map((error) => describeError(error, written)) });
      await this.write(tx, caller, tree, owner, next);
    });
    return { claims: presentDefinitions(next) };
  }

  /**
   * What lint, pipeline creation and the token preview merge jobs' `jwt_claims` under
   * (`mergeCustomClaims([...levels, jobClaimLevel(…)], names)`), with the registry entries of the jobs' names too.
   * Runs on `db`, so it can read inside the caller's transaction.
   */
  async projectRules(
    db: EntityManager,
    project: Project,
    jobClaims: readonly Readonly<Record<string, unknown>>[],
  ): Promise<ProjectClaimRules> {
    const level: ClaimLevel = { kind: 'project', project };
    const tree = await loadClaimTree(db, scopeOf(level, false, jobClaims));
    return { levels: levelsOf(tree, ownerOf(level)), names: tree.names, namespaceIds: tree.projects.get(project.id)!.namespaceIds };
  }

  async events(level: ClaimLevel, page: PageQuery) {
    const [rows, total] = await listClaimEvents(this.db.manager, ownerOf(level), page.offset, page.per_page);
    return new Page(rows.map(presentEvent), total, page);
  }

  /** Writes and records only a real change, so the event list is a list of changes. */
  private async write(tx: EntityManager, caller: Caller, tree: ClaimTree, owner: ClaimOwner, next: readonly CustomClaimDefinition[]) {
    const before = tree.claims.get(ownerKey(owner)) ?? [];
    if (JSON.stringify(presentDefinitions(before)) === JSON.stringify(presentDefinitions(next))) return;
    await writeClaims(tx, owner, next);
    await recordClaimEvent(tx, {
      owner,
      userId: caller.user.id,
      level: claimSource(levelRef(tree, owner)),
      before: presentDefinitions(before),
      after: presentDefinitions(next),
    });
  }
}

function ownerOf(level: ClaimLevel): ClaimOwner {
  return level.kind === 'group' ? { kind: 'group', id: level.group.id } : { kind: 'project', id: level.project.id };
}

function scopeOf(level: ClaimLevel, withDescendants: boolean, unstoredClaims: TreeScope['unstoredClaims']): TreeScope {
  if (level.kind === 'project')
    return { namespaceId: level.project.namespaceId, projectId: level.project.id, descendants: false, unstoredClaims };
  return { namespaceId: level.group.id, projectId: null, descendants: withDescendants, unstoredClaims };
}

function presentDefinitions(claims: readonly CustomClaimDefinition[]): CustomClaimDefinition[] {
  return claims.map(({ key, value, mutable }) => ({ key, value, mutable }));
}

function presentEvent(row: ClaimEventRow) {
  return {
    id: row.id,
    author: row.user_id === null ? null : { id: row.user_id, username: row.username, name: row.name },
    created_at: row.created_at,
    level: row.level,
    before: row.before,
    after: row.after,
  };
}
