import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A commit of the repository's index; its tree is in repository_files under its id once `tree_indexed` (see git/tree-index.ts). */
@Entity('repository_commits')
export class RepositoryCommit {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  @Column({ type: 'char', length: 40 })
  sha!: string;

  @Column({ name: 'parent_sha', type: 'char', length: 40, nullable: true })
  parentSha!: string | null;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'author_name', type: 'varchar' })
  authorName!: string;

  @Column({ name: 'author_email', type: 'varchar' })
  authorEmail!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
