import type { PipelineVariablesMinimumOverrideRole } from '@lanyard/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Visibility } from '../common/visibility';

@Entity('projects')
export class Project {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column()
  name!: string;

  @Column()
  path!: string;

  @Column({ name: 'namespace_id', type: 'bigint' })
  namespaceId!: number;

  @Column()
  description!: string;

  @Column({ type: 'varchar' })
  visibility!: Visibility;

  @Column({ name: 'default_branch', type: 'varchar', nullable: true })
  defaultBranch!: string | null;

  @Column({ name: 'build_timeout', type: 'integer' })
  buildTimeout!: number;

  /** Who may pass pipeline variables (GitLab's `ci_pipeline_variables_minimum_override_role`). */
  @Column({ name: 'ci_pipeline_variables_minimum_override_role', type: 'varchar' })
  pipelineVariablesMinimumOverrideRole!: PipelineVariablesMinimumOverrideRole;

  @Column({ name: 'forked_from_project_id', type: 'bigint', nullable: true })
  forkedFromProjectId!: number | null;

  @Column({ name: 'creator_id', type: 'bigint', nullable: true })
  creatorId!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
