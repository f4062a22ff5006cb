import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('personal_access_tokens')
export class PersonalAccessToken {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: number;

  @Column()
  name!: string;

  /** SHA-256 of the token; the token itself is shown once and never stored. */
  @Column({ name: 'token_digest' })
  tokenDigest!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ name: 'expires_at', type: 'date', nullable: true })
  expiresAt!: string | null;

  @Column()
  revoked!: boolean;

  @Column({ type: 'varchar', nullable: true })
  description!: string | null;

  /** When the token last authenticated, to within ten minutes (AuthService stamps it no more often, as GitLab). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  /** The token a rotation replaced with this one. */
  @Column({ name: 'previous_personal_access_token_id', type: 'bigint', nullable: true })
  previousTokenId!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
