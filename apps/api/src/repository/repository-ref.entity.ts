import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RefType = 'branch' | 'tag';

/** A branch or tag: a name pointing at a commit. */
@Entity('repository_refs')
export class RepositoryRef {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  @Column({ type: 'varchar' })
  name!: string;

  @Column({ name: 'ref_type', type: 'varchar' })
  refType!: RefType;

  @Column({ name: 'commit_sha', type: 'char', length: 40 })
  commitSha!: string;

  /** A tag's annotation; null for branches and lightweight tags. */
  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
