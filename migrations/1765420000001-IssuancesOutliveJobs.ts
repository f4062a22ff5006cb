import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18, item 6: deleting a pipeline deletes its jobs, but not the audit of the ID tokens they minted. Those tokens
 * stay valid where they went until they expire; the audit is what names them, and a retiring key stays published
 * until the last token it signed expires (`max(exp)` over the audit). Like `superseded_by_job_id`, `build_id` names a
 * job that may be gone. The project's deletion still takes its audit with it.
 */
export class IssuancesOutliveJobs1765420000001 implements MigrationInterface {
  name = 'IssuancesOutliveJobs1765420000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_id_token_issuances DROP CONSTRAINT ci_id_token_issuances_build_id_fkey`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM ci_id_token_issuances i WHERE NOT EXISTS (SELECT 1 FROM ci_builds b WHERE b.id = i.build_id)`);
    await db.query(
      `ALTER TABLE ci_id_token_issuances ADD CONSTRAINT ci_id_token_issuances_build_id_fkey
         FOREIGN KEY (build_id) REFERENCES ci_builds(id) ON DELETE CASCADE`,
    );
  }
}
