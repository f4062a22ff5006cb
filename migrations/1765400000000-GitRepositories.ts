import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: projects become git repositories. Commits written before lived only in the repository_* tables, with
 * random ids; every project holding some is listed here, and the service, at its next start (where it knows the
 * repositories directory), writes each one's history into git — same branches, tags, files, messages, authors, dates
 * and order — swaps the random ids for the real ones everywhere they are stored, and strikes the project off.
 */
export class GitRepositories1765400000000 implements MigrationInterface {
  name = 'GitRepositories1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE repository_legacy_histories (
        project_id bigint PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE
      )`);
    await db.query(`INSERT INTO repository_legacy_histories (project_id) SELECT DISTINCT project_id FROM repository_commits`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE repository_legacy_histories`);
  }
}
