import { BuildStatus } from '@lanyard/pipelines';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A CI job (GitLab's `ci_builds`). */
@Entity('ci_builds')
export class Build {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'pipeline_id', type: 'bigint' })
  pipelineId!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  @Column()
  name!: string;

  @Column()
  stage!: string;

  @Column({ name: 'stage_idx', type: 'integer' })
  stageIdx!: number;

  @Column({ type: 'varchar' })
  status!: BuildStatus;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: number | null;

  @Column({ name: 'runner_id', type: 'bigint', nullable: true })
  runnerId!: number | null;

  /** SHA-256 of the job token (CI_JOB_TOKEN), set when a runner takes the job. */
  @Column({ name: 'token_digest', type: 'varchar', nullable: true })
  tokenDigest!: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', nullable: true })
  failureReason!: string | null;

  /** Seconds: decided when a runner takes the job (`decideJobTimeout`); until then, the value at creation. */
  @Column({ type: 'integer' })
  timeout!: number;

  /** Whether the ref was protected when the pipeline was created (GitLab's `ci_builds.protected`). */
  @Column()
  protected!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
