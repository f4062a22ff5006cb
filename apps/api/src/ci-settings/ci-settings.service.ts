import { Injectable } from '@nestjs/common';
import { DEFAULT_SUB_CLAIM_COMPONENTS, SubClaimComponent, subClaimSettingWarnings, validateSubClaimComponents } from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { CiSettingsError } from './ci-settings-errors';

/** New projects opt in to ID tokens only: the legacy `CI_JOB_JWT*` variables are off unless a maintainer turns them on. */
export const OPT_IN_JWT_DEFAULT = true;

export interface EffectiveCiSettings {
  readonly optInJwt: boolean;
  /** The project's `sub` components, else its nearest group's, else the default `project_path:ref_type:ref`. */
  readonly subClaimComponents: readonly SubClaimComponent[];
  /** Where `subClaimComponents` were set (the token preview names it). */
  readonly subClaimComponentsFrom: { readonly kind: 'project' | 'default' } | { readonly kind: 'group'; readonly namespaceId: number };
}

/** A row of `CI_SETTINGS_SQL`. */
export interface CiSettingsRow {
  project_id: number;
  opt_in_jwt: boolean | null;
  project_components: string[] | null;
  group_components: string[] | null;
  group_id: number | null;
}

/**
 * The settings of each project `p` (add a condition on `p`): its own, and the `sub` components of its nearest group
 * that sets them. Also read inline by the pickup's snapshot query (`JobRecordLoader.claim`).
 */
export const CI_SETTINGS_SQL = `
  SELECT p.id AS project_id, s.opt_in_jwt, s.id_token_sub_claim_components AS project_components,
         g.id_token_sub_claim_components AS group_components, g.namespace_id AS group_id
    FROM projects p
    JOIN namespaces n ON n.id = p.namespace_id
    LEFT JOIN project_ci_cd_settings s ON s.project_id = p.id
    LEFT JOIN LATERAL (
          SELECT g.namespace_id, g.id_token_sub_claim_components
            FROM unnest(n.traversal_ids) WITH ORDINALITY AS ancestor (id, depth)
            JOIN namespace_ci_cd_settings g ON g.namespace_id = ancestor.id
           WHERE g.id_token_sub_claim_components IS NOT NULL
           ORDER BY ancestor.depth DESC LIMIT 1) g ON TRUE`;

export function effectiveCiSettings(row: CiSettingsRow): EffectiveCiSettings {
  return {
    optInJwt: row.opt_in_jwt ?? OPT_IN_JWT_DEFAULT,
    subClaimComponents: (row.project_components ?? row.group_components ?? DEFAULT_SUB_CLAIM_COMPONENTS) as SubClaimComponent[],
    subClaimComponentsFrom: row.project_components
      ? { kind: 'project' }
      : row.group_id !== null
        ? { kind: 'group', namespaceId: row.group_id }
        : { kind: 'default' },
  };
}

@Injectable()
export class CiSettingsService {
  async forProject(db: EntityManager, projectId: number): Promise<EffectiveCiSettings> {
    return (await this.forProjects(db, [projectId])).get(projectId)!;
  }

  /** Settings as they apply now (read at mint time, so a change reaches jobs already waiting). */
  async forProjects(db: EntityManager, projectIds: readonly number[]): Promise<Map<number, EffectiveCiSettings>> {
    const rows: CiSettingsRow[] = projectIds.length ? await db.query(`${CI_SETTINGS_SQL} WHERE p.id = ANY($1)`, [projectIds]) : [];
    return new Map(rows.map((row) => [row.project_id, effectiveCiSettings(row)]));
  }

  async groupSubClaimComponents(db: EntityManager, namespaceId: number): Promise<string[] | null> {
    const [row]: { id_token_sub_claim_components: string[] | null }[] = await db.query(
      'SELECT id_token_sub_claim_components FROM namespace_ci_cd_settings WHERE namespace_id = $1',
      [namespaceId],
    );
    return row?.id_token_sub_claim_components ?? null;
  }

  /**
   * Creates the project's row on its first change; no row means every default. `null` components: inherit.
   * Answers the warnings about the components written (a valid list that still loses information).
   */
  async updateProject(
    db: EntityManager,
    projectId: number,
    changes: { optInJwt?: boolean; subClaimComponents?: unknown },
  ): Promise<string[]> {
    const components = changes.subClaimComponents === undefined ? undefined : checkedComponents(changes.subClaimComponents);
    await db.query(
      `INSERT INTO project_ci_cd_settings (project_id, opt_in_jwt, id_token_sub_claim_components)
       VALUES ($1, coalesce($2::boolean, $3::boolean), $4::text[])
       ON CONFLICT (project_id) DO UPDATE SET
         opt_in_jwt = coalesce($2::boolean, project_ci_cd_settings.opt_in_jwt),
         id_token_sub_claim_components = CASE WHEN $5 THEN $4::text[] ELSE project_ci_cd_settings.id_token_sub_claim_components END`,
      [projectId, changes.optInJwt ?? null, OPT_IN_JWT_DEFAULT, components ?? null, components !== undefined],
    );
    return components ? subClaimSettingWarnings(components) : [];
  }

  /** The group's default components (`null`: inherit); answers the warnings about them, as `updateProject`. */
  async updateGroup(db: EntityManager, namespaceId: number, subClaimComponents: unknown): Promise<string[]> {
    const components = checkedComponents(subClaimComponents);
    await db.query(
      `INSERT INTO namespace_ci_cd_settings (namespace_id, id_token_sub_claim_components) VALUES ($1, $2::text[])
       ON CONFLICT (namespace_id) DO UPDATE SET id_token_sub_claim_components = $2::text[]`,
      [namespaceId, components],
    );
    return components ? subClaimSettingWarnings(components) : [];
  }
}

/** A settings answer with a `warnings` entry when there is something to warn about; GitLab's shape otherwise. */
export function withWarnings<T extends object>(body: T, warnings: readonly string[]): T & { warnings?: string[] } {
  return warnings.length ? { ...body, warnings: [...warnings] } : body;
}

/** GitLab's rules and messages (libs/id-tokens); `null` clears the setting so the level above applies. */
function checkedComponents(value: unknown): string[] | null {
  if (value === null) return null;
  const problems = validateSubClaimComponents(value);
  if (problems.length) throw new CiSettingsError('SUB_CLAIM_COMPONENTS_INVALID', { problems });
  return value as string[];
}
