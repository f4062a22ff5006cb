import { Injectable } from '@nestjs/common';
import {
  type CiSettingsRow,
  type EffectiveCiSettings,
  OPT_IN_JWT_DEFAULT,
  effectiveCiSettings,
  subClaimSettingWarnings,
  validateSubClaimComponents,
} from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { CiSettingsError } from './ci-settings-errors';

/**
 * The settings of each project `p` (add a condition on `p`): its own, and the `sub` components of its nearest group
 * that sets them.
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
