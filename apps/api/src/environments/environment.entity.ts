import type { DeploymentTier } from '@lanyard/ci-config';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A project's deployment target, created by the API or by the first job that names it in `environment:`. */
@Entity('environments')
export class Environment {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint' })
  projectId!: number;

  @Column({ type: 'varchar' })
  name!: string;

  @Column({ type: 'varchar' })
  tier!: DeploymentTier;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
