import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18, item 7: `PUT /runners/:id` takes GitLab's `locked` (a runner that may not be assigned to other projects);
 * GitLab's column default is false. Item 4: `reported_at` is when the runner last said a job is still running
 * (`PUT /jobs/:id`, written at most every 15 minutes as GitLab's `needs_touch?`); with the log's `updated_at` it tells
 * the stuck-jobs scheduler the runner is alive. The scheduler finds running jobs by start time and pending ones by
 * queue time, each through a partial index that holds only jobs in that state.
 */
export class RunnerLocked1765360000000 implements MigrationInterface {
  name = 'RunnerLocked1765360000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_runners ADD COLUMN locked boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE ci_builds ADD COLUMN reported_at timestamptz`);
    await db.query(`CREATE INDEX ci_builds_running_started_at ON ci_builds (started_at) WHERE status = 'running'`);
    await db.query(`CREATE INDEX ci_builds_pending_queued_at ON ci_builds (queued_at) WHERE status = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ci_builds_pending_queued_at`);
    await db.query(`DROP INDEX ci_builds_running_started_at`);
    await db.query(`ALTER TABLE ci_builds DROP COLUMN reported_at`);
    await db.query(`ALTER TABLE ci_runners DROP COLUMN locked`);
  }
}
