import type { PublicSigningJwk, SigningKeyState } from '@lanyard/id-tokens';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('ci_jwt_signing_keys')
export class SigningKey {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  /** RFC 7638 SHA-256 thumbprint of the public key. */
  @Column()
  kid!: string;

  @Column()
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: PublicSigningJwk;

  /** Encrypted (see key-encryption.ts); decrypted only in memory, only for the key that signs. */
  @Column({ name: 'private_key', type: 'bytea', select: false })
  privateKey!: Buffer;

  @Column({ type: 'varchar' })
  state!: SigningKeyState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'usable_from', type: 'timestamptz' })
  usableFrom!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'published_until', type: 'timestamptz', nullable: true })
  publishedUntil!: Date | null;

  /** Set when an admin revoked the key (compromised): it left the JWKS at once and its private part was destroyed. */
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
