import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may set a custom claim name (issue 14): an admin registers a name to a top-level group, whose tree alone may set
 * it, or open to all. A name nobody registered stays open, with a warning where it is written.
 */
export class ClaimNameRegistry1765100000000 implements MigrationInterface {
  name = 'ClaimNameRegistry1765100000000';

  async up(db: QueryRunner): Promise<void> {
    // No foreign key on the owner: a deleted group keeps its names closed (no namespace ever has its id again), so a
    // group re-created at its path cannot inherit them; an admin deletes or registers them again.
    await db.query(`
      CREATE TABLE ci_id_token_claim_names (
        name text PRIMARY KEY,
        namespace_id bigint,
        created_by_id bigint REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ci_id_token_claim_names`);
  }
}
