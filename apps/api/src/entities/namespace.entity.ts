import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Visibility } from '../common/visibility';

export type NamespaceType = 'User' | 'Group';

@Entity('namespaces')
export class Namespace {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column()
  name!: string;

  @Column()
  path!: string;

  @Column({ type: 'varchar' })
  type!: NamespaceType;

  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId!: number | null;

  /** The user of a personal namespace. */
  @Column({ name: 'owner_id', type: 'bigint', nullable: true })
  ownerId!: number | null;

  /** Ids from the root group down to this namespace, itself included. */
  @Column({ name: 'traversal_ids', type: 'bigint', array: true })
  traversalIds!: number[];

  @Column({ type: 'varchar' })
  visibility!: Visibility;

  @Column()
  description!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
