import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RUNNER_TYPES = ['instance_type', 'group_type', 'project_type'] as const;
export type RunnerType = (typeof RUNNER_TYPES)[number];

@Entity('ci_runners')
export class Runner {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  /** SHA-256 of the runner authentication token; the token is shown once at creation. */
  @Column({ name: 'token_digest' })
  tokenDigest!: string;

  @Column({ name: 'runner_type', type: 'varchar' })
  runnerType!: RunnerType;

  @Column({ name: 'namespace_id', type: 'bigint', nullable: true })
  namespaceId!: number | null;

  @Column({ name: 'project_id', type: 'bigint', nullable: true })
  projectId!: number | null;

  @Column()
  description!: string;

  /** Claims `runner_environment: gitlab-hosted` when true, `self-hosted` otherwise. */
  @Column({ name: 'gitlab_hosted' })
  gitlabHosted!: boolean;

  @Column()
  active!: boolean;

  /** Seconds; caps the timeout of every job this runner takes (null: no cap). */
  @Column({ name: 'maximum_timeout', type: 'integer', nullable: true })
  maximumTimeout!: number | null;

  /** GitLab's `tag_list`: a job runs here only if all its tags are among these. */
  @Column({ name: 'tag_list', type: 'text', array: true })
  tagList!: string[];

  /** Whether the runner takes jobs without tags. */
  @Column({ name: 'run_untagged' })
  runUntagged!: boolean;

  /** GitLab's `locked`: the runner may not be assigned to other projects. */
  @Column()
  locked!: boolean;

  @Column({ name: 'creator_id', type: 'bigint', nullable: true })
  creatorId!: number | null;

  @Column({ name: 'contacted_at', type: 'timestamptz', nullable: true })
  contactedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
