import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A project's CI/CD settings; a project without a row has the defaults. */
@Entity('project_ci_cd_settings')
export class ProjectCiSettings {
  @PrimaryColumn({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  /** On: no legacy `CI_JOB_JWT*` variables; jobs authenticate with `id_tokens` only. */
  @Column({ name: 'opt_in_jwt' })
  optInJwt!: boolean;

  /** null: inherit the nearest group's setting, else the default `project_path:ref_type:ref`. */
  @Column({ name: 'id_token_sub_claim_components', type: 'text', array: true, nullable: true })
  idTokenSubClaimComponents!: string[] | null;
}
