import { PipelineStatus } from '@lanyard/pipelines';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const PIPELINE_SOURCES = ['push', 'web', 'api', 'merge_request_event', 'trigger', 'schedule'] as const;
export type PipelineSource = (typeof PIPELINE_SOURCES)[number];

export interface PipelineVariable {
  readonly key: string;
  readonly value: string;
  readonly variable_type: 'env_var' | 'file';
}

@Entity('ci_pipelines')
export class Pipeline {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  /** Numbered per project (GitLab's `iid`, `CI_PIPELINE_IID`); see pipeline-iids.ts. */
  @Column({ type: 'integer' })
  iid!: number;

  @Column()
  ref!: string;

  @Column()
  tag!: boolean;

  @Column()
  sha!: string;

  /** The previous head of the push that created it (GitLab's `before_sha`); null is GitLab's blank sha: no such push. */
  @Column({ name: 'before_sha', type: 'text', nullable: true })
  beforeSha!: string | null;

  @Column({ type: 'varchar' })
  source!: PipelineSource;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: number | null;

  @Column({ type: 'varchar' })
  status!: PipelineStatus;

  @Column({ type: 'jsonb' })
  variables!: PipelineVariable[];

  /** Set for a merge-request pipeline: the merge request's source project is where its code comes from. */
  @Column({ name: 'merge_request_id', type: 'bigint', nullable: true })
  mergeRequestId!: number | null;

  /** `workflow:name`, expanded when the pipeline was created (GitLab's `name`, `CI_PIPELINE_NAME`). */
  @Column({ type: 'varchar', nullable: true })
  name!: string | null;

  @Column({ name: 'yaml_errors', type: 'text', nullable: true })
  yamlErrors!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
