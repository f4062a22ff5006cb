import type { RetryDefinition } from '@lanyard/ci-config';
import { BuildStatus, BuildWhen } from '@lanyard/pipelines';
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

  /** GitLab's `when`: after what the job starts, and whether it waits to be played or for its `start_in`. */
  @Column({ type: 'varchar' })
  when!: BuildWhen;

  /** GitLab's: `dag` when the job has `needs` (even `needs: []`), `stage` when it waits for the earlier stages. */
  @Column({ name: 'scheduling_type', type: 'varchar' })
  schedulingType!: 'stage' | 'dag';

  /** Whether a failure leaves the pipeline successful; set true when the runner's exit code is an allowed one. */
  @Column({ name: 'allow_failure' })
  allowFailure!: boolean;

  /** `allow_failure: {exit_codes}`: the exit codes that make a failure allowed. */
  @Column({ name: 'allow_failure_exit_codes', type: 'jsonb', nullable: true })
  allowFailureExitCodes!: number[] | null;

  /** Seconds a delayed job waits once it could start (`start_in`). */
  @Column({ name: 'start_in', type: 'integer', nullable: true })
  startIn!: number | null;

  /** When a `scheduled` job is due. */
  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true })
  scheduledAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  retry!: RetryDefinition | null;

  /** A later copy of the job replaced it (GitLab: only the latest of a name counts). */
  @Column()
  retried!: boolean;

  /** What the runner reported on `PUT /jobs/:id`. */
  @Column({ name: 'exit_code', type: 'integer', nullable: true })
  exitCode!: number | null;

  @Column({ name: 'resource_group_id', type: 'bigint', nullable: true })
  resourceGroupId!: number | null;

  /** What the job's `coverage:` regex found in its log when it finished; null: nothing (or no regex). */
  @Column({ type: 'double precision', nullable: true })
  coverage!: number | null;

  /** When someone erased its log (`POST …/jobs/:job_id/erase`), and who. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @Column({ name: 'erased_by_id', type: 'bigint', nullable: true })
  erasedById!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
