import { MigrationInterface, QueryRunner } from 'typeorm';

/** The job timeout is decided when a runner takes the job: from the job's own `timeout:`, the project's, the runner's cap. */
export class JobTimeoutAtPickup1764400000000 implements MigrationInterface {
  name = 'JobTimeoutAtPickup1764400000000';

  async up(db: QueryRunner): Promise<void> {
    // GitLab's `ci_runners.maximum_timeout`: seconds, at least 10 minutes; null is no cap.
    await db.query(`ALTER TABLE ci_runners ADD COLUMN maximum_timeout integer CHECK (maximum_timeout >= 600)`);
    // GitLab's `options[:job_timeout]`: the job's `timeout:` as written; null falls back to the project's at pickup.
    // Jobs created before this column have null, so they take the project's timeout current at their pickup.
    await db.query(`ALTER TABLE ci_builds_metadata ADD COLUMN job_timeout integer`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_builds_metadata DROP COLUMN job_timeout`);
    await db.query(`ALTER TABLE ci_runners DROP COLUMN maximum_timeout`);
  }
}
