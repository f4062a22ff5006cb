import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AccessLevel, MemberSourceType } from '@lanyard/access';

@Entity('members')
export class Member {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: number;

  @Column({ name: 'source_type', type: 'varchar' })
  sourceType!: MemberSourceType;

  @Column({ name: 'source_id', type: 'bigint' })
  sourceId!: number;

  @Column({ name: 'access_level', type: 'smallint' })
  accessLevel!: AccessLevel;

  @Column({ name: 'expires_at', type: 'date', nullable: true })
  expiresAt!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
