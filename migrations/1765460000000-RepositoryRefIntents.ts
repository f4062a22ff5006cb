import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: git moves a ref before the database commits the index that mirrors it, and the two cannot commit as one.
 * Every writer records its intent here, committed before git moves anything, and deletes it in the transaction that
 * indexes the move: a row that outlives its writer marks a project whose refs git may hold ahead of the index, which
 * the service repairs (see repository/git/ref-repair.ts).
 */
export class RepositoryRefIntents1765460000000 implements MigrationInterface {
  name = 'RepositoryRefIntents1765460000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE repository_ref_intents (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX repository_ref_intents_project ON repository_ref_intents (project_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE repository_ref_intents`);
  }
}
