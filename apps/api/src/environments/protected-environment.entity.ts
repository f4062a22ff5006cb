import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Deploys to the environment with this exact name (no wildcards, as GitLab) are allowed to whoever one of its
 * `deploy_access_levels` entries admits (DeployAccessLevelEntry).
 */
@Entity('protected_environments')
export class ProtectedEnvironment {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  @Column({ type: 'varchar' })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
