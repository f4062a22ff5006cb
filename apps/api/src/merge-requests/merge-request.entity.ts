import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type MergeRequestState = 'opened' | 'closed' | 'merged' | 'locked';

/** A merge request lives in its target project (its iid is numbered there); its code comes from the source project. */
@Entity('merge_requests')
export class MergeRequest {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ type: 'integer' })
  iid!: number;

  @Column({ name: 'target_project_id', type: 'bigint' })
  targetProjectId!: number;

  /** Null once the source project was deleted. */
  @Column({ name: 'source_project_id', type: 'bigint', nullable: true })
  sourceProjectId!: number | null;

  @Column({ name: 'source_branch', type: 'varchar' })
  sourceBranch!: string;

  @Column({ name: 'target_branch', type: 'varchar' })
  targetBranch!: string;

  @Column({ type: 'varchar' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'varchar' })
  state!: MergeRequestState;

  @Column({ name: 'author_id', type: 'bigint', nullable: true })
  authorId!: number | null;

  @Column({ name: 'closed_by_id', type: 'bigint', nullable: true })
  closedById!: number | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
