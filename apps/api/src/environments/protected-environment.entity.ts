import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeployAccessLevel } from './environment-rules';

/**
 * Deploys to the environment with this exact name (no wildcards, as GitLab) need `deployAccessLevel`. GitLab keeps a
 * list of rules (roles, users, groups); Lanyard keeps one role level, the highest of those given.
 */
@Entity('protected_environments')
export class ProtectedEnvironment {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  @Column({ type: 'varchar' })
  name!: string;

  @Column({ name: 'deploy_access_level', type: 'smallint' })
  deployAccessLevel!: DeployAccessLevel;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
