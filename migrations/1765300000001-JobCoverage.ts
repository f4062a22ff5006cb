import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 16, `coverage:`: the percentage the job's regex found in its log when it finished (GitLab's `ci_builds.coverage`). */
export class JobCoverage1765300000001 implements MigrationInterface {
  name = 'JobCoverage1765300000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_builds ADD COLUMN coverage double precision`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_builds DROP COLUMN coverage`);
  }
}
