import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18, item 7: `PUT /runners/:id` takes GitLab's `locked` (a runner that may not be assigned to other projects);
 * GitLab's column default is false. The stuck-jobs scheduler (item 4) finds running jobs by start time and pending
 * ones by queue time, each through a partial index that holds only jobs in that state.
 */
export class RunnerLocked1765360000000 implements MigrationInterface {
  name = 'RunnerLocked1765360000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_runners ADD COLUMN locked boolean NOT NULL DEFAULT false`);
    await db.query(`CREATE INDEX ci_builds_running_started_at ON ci_builds (started_at) WHERE status = 'running'`);
    await db.query(`CREATE INDEX ci_builds_pending_queued_at ON ci_builds (queued_at) WHERE status = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ci_builds_pending_queued_at`);
    await db.query(`DROP INDEX ci_builds_running_started_at`);
    await db.query(`ALTER TABLE ci_runners DROP COLUMN locked`);
  }
}
