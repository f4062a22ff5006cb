import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ProtectionLevel } from '@lanyard/git-refs';
import type { RefType } from './repository-ref.entity';

/** A protected branch or tag; `name` may hold `*` wildcards (GitLab's RefMatcher semantics, see @lanyard/git-refs). */
@Entity('protected_refs')
export class ProtectedRef {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  @Column({ type: 'varchar' })
  name!: string;

  @Column({ name: 'ref_type', type: 'varchar' })
  refType!: RefType;

  /** Who may push to a protected branch; for a protected tag, who may create it (GitLab's create_access_level). */
  @Column({ name: 'push_access_level', type: 'smallint' })
  pushAccessLevel!: ProtectionLevel;

  @Column({ name: 'merge_access_level', type: 'smallint' })
  mergeAccessLevel!: ProtectionLevel;

  @Column({ name: 'allow_force_push', type: 'boolean' })
  allowForcePush!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
