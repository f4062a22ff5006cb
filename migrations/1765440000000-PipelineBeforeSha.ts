import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, item 5: a pipeline keeps the previous head of the push that created it (GitLab's `ci_pipelines.before_sha`),
 * for the runner's `git_info.before_sha` and `CI_COMMIT_BEFORE_SHA`. Null is GitLab's blank sha: no push moved a
 * branch (a new branch or tag, the API, a merge request), as for every pipeline stored before this column.
 */
export class PipelineBeforeSha1765440000000 implements MigrationInterface {
  name = 'PipelineBeforeSha1765440000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_pipelines ADD COLUMN before_sha text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_pipelines DROP COLUMN before_sha`);
  }
}
