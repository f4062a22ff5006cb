import { MigrationInterface, QueryRunner } from 'typeorm';

/** A compromised signing key can be revoked: unpublished at once, its private part destroyed. */
export class SigningKeyRevocation1764300000000 implements MigrationInterface {
  name = 'SigningKeyRevocation1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE ci_jwt_signing_keys DROP CONSTRAINT ci_jwt_signing_keys_state_check');
    await db.query(`ALTER TABLE ci_jwt_signing_keys ADD CONSTRAINT ci_jwt_signing_keys_state_check CHECK (state IN ('next', 'active', 'retired', 'revoked'))`);
    await db.query('ALTER TABLE ci_jwt_signing_keys ADD COLUMN revoked_at timestamptz');
    // revoked_at is set exactly on revoked keys (whose private key is then emptied by the service).
    await db.query(`ALTER TABLE ci_jwt_signing_keys ADD CONSTRAINT ci_jwt_signing_keys_revoked CHECK ((state = 'revoked') = (revoked_at IS NOT NULL))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE ci_jwt_signing_keys DROP CONSTRAINT ci_jwt_signing_keys_revoked');
    // The old schema has no revoked state: such keys become retired ones that are no longer published.
    await db.query(`UPDATE ci_jwt_signing_keys SET state = 'retired', retired_at = revoked_at, published_until = revoked_at WHERE state = 'revoked'`);
    await db.query('ALTER TABLE ci_jwt_signing_keys DROP COLUMN revoked_at');
    await db.query('ALTER TABLE ci_jwt_signing_keys DROP CONSTRAINT ci_jwt_signing_keys_state_check');
    await db.query(`ALTER TABLE ci_jwt_signing_keys ADD CONSTRAINT ci_jwt_signing_keys_state_check CHECK (state IN ('next', 'active', 'retired'))`);
  }
}
