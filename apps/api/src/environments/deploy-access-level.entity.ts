import type { DeployAccessLevel, GroupInheritanceType } from '@lanyard/access';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One `deploy_access_levels` entry of a protected environment: exactly one of a role, a user or a group. */
@Entity('protected_environment_deploy_access_levels')
export class DeployAccessLevelEntry {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'protected_environment_id', type: 'bigint' })
  protectedEnvironmentId!: number;

  @Column({ name: 'access_level', type: 'smallint', nullable: true })
  accessLevel!: DeployAccessLevel | null;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: number | null;

  @Column({ name: 'group_id', type: 'bigint', nullable: true })
  groupId!: number | null;

  @Column({ name: 'group_inheritance_type', type: 'smallint' })
  groupInheritanceType!: GroupInheritanceType;
}
