import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18, item 5: a job erased by hand keeps when and by whom (GitLab's `erased_at`, `erased_by_id`), and the
 * issuance audit shows which ID tokens were superseded: their job was retried (by which new job) or canceled. A
 * token already handed out stays valid for its relying parties until it expires; the audit is where that shows.
 */
export class JobControl1765410000000 implements MigrationInterface {
  name = 'JobControl1765410000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_builds ADD COLUMN erased_at timestamptz`);
    await db.query(`ALTER TABLE ci_builds ADD COLUMN erased_by_id bigint REFERENCES users (id) ON DELETE SET NULL`);
    await db.query(`ALTER TABLE ci_id_token_issuances ADD COLUMN superseded_at timestamptz`);
    await db.query(`ALTER TABLE ci_id_token_issuances ADD COLUMN superseded_reason varchar(16)`);
    // No foreign key: the audit outlives the jobs it names (a retried job's copy may be deleted with its pipeline).
    await db.query(`ALTER TABLE ci_id_token_issuances ADD COLUMN superseded_by_job_id bigint`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_id_token_issuances DROP COLUMN superseded_by_job_id`);
    await db.query(`ALTER TABLE ci_id_token_issuances DROP COLUMN superseded_reason`);
    await db.query(`ALTER TABLE ci_id_token_issuances DROP COLUMN superseded_at`);
    await db.query(`ALTER TABLE ci_builds DROP COLUMN erased_by_id`);
    await db.query(`ALTER TABLE ci_builds DROP COLUMN erased_at`);
  }
}
