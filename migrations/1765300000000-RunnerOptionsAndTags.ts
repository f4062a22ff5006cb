import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16, the runner payload and tags: each job keeps the options its runner needs (GitLab's
 * `ci_builds_metadata.config_options`: scripts, image, services, artifacts, cache, dependencies, parallel, tags…);
 * the queue copies the job's tags, as GitLab's `ci_pending_builds.tag_list`, so the claim filters on the queue alone;
 * runners get `tag_list` and `run_untagged` (GitLab's default: true). Jobs created before keep a null: script only.
 */
export class RunnerOptionsAndTags1765300000000 implements MigrationInterface {
  name = 'RunnerOptionsAndTags1765300000000';

  async up(db: QueryRunner): Promise<void> {
    // json, not jsonb, as the table's other columns: the order written is meaningful (service variables, reports).
    await db.query(`ALTER TABLE ci_builds_metadata ADD COLUMN config_options json`);
    await db.query(`ALTER TABLE ci_pending_builds ADD COLUMN tag_list text[] NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE ci_runners ADD COLUMN tag_list text[] NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE ci_runners ADD COLUMN run_untagged boolean NOT NULL DEFAULT true`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_runners DROP COLUMN run_untagged`);
    await db.query(`ALTER TABLE ci_runners DROP COLUMN tag_list`);
    await db.query(`ALTER TABLE ci_pending_builds DROP COLUMN tag_list`);
    await db.query(`ALTER TABLE ci_builds_metadata DROP COLUMN config_options`);
  }
}
