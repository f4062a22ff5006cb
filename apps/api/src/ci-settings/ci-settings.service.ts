import { Injectable } from '@nestjs/common';
import { DEFAULT_SUB_CLAIM_COMPONENTS, SubClaimComponent, isSubClaimComponent } from '@lanyard/id-tokens';
import { EntityManager, In } from 'typeorm';
import { ProjectCiSettings } from './project-ci-settings.entity';

/** New projects opt in to ID tokens only: the legacy `CI_JOB_JWT*` variables are off unless a maintainer turns them on. */
export const OPT_IN_JWT_DEFAULT = true;

export interface EffectiveCiSettings {
  readonly optInJwt: boolean;
  /** The project's `sub` components, else the default `project_path:ref_type:ref`. */
  readonly subClaimComponents: readonly SubClaimComponent[];
}

@Injectable()
export class CiSettingsService {
  async forProject(db: EntityManager, projectId: number): Promise<EffectiveCiSettings> {
    return (await this.forProjects(db, [projectId])).get(projectId)!;
  }

  async forProjects(db: EntityManager, projectIds: readonly number[]): Promise<Map<number, EffectiveCiSettings>> {
    const rows = projectIds.length ? await db.getRepository(ProjectCiSettings).findBy({ projectId: In([...projectIds]) }) : [];
    const byProject = new Map(rows.map((row) => [row.projectId, row]));
    return new Map(projectIds.map((id) => [id, effective(byProject.get(id))]));
  }

  /** Creates the project's row on its first change; no row means every default. */
  async update(db: EntityManager, projectId: number, changes: { optInJwt?: boolean }): Promise<void> {
    await db.query(
      `INSERT INTO project_ci_cd_settings (project_id, opt_in_jwt) VALUES ($1, coalesce($2::boolean, $3::boolean))
       ON CONFLICT (project_id) DO UPDATE SET opt_in_jwt = coalesce($2::boolean, project_ci_cd_settings.opt_in_jwt)`,
      [projectId, changes.optInJwt ?? null, OPT_IN_JWT_DEFAULT],
    );
  }
}

function effective(row: ProjectCiSettings | undefined): EffectiveCiSettings {
  const configured = row?.idTokenSubClaimComponents;
  return {
    optInJwt: row?.optInJwt ?? OPT_IN_JWT_DEFAULT,
    subClaimComponents: configured && configured.every(isSubClaimComponent) ? configured : DEFAULT_SUB_CLAIM_COMPONENTS,
  };
}
