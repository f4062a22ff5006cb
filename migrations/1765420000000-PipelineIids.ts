import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18, item 6: pipelines get GitLab's `iid`, numbered per project. As GitLab's `internal_ids` table, a counter row
 * per project and usage hands out the numbers: its row lock, held to the end of the creating transaction, makes
 * concurrent pipelines take consecutive numbers, and a deleted pipeline's number is never given again (a `max(iid)`
 * would give the newest one's again). Existing pipelines are numbered in creation order.
 */
export class PipelineIids1765420000000 implements MigrationInterface {
  name = 'PipelineIids1765420000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE internal_ids (
        project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        usage varchar(32) NOT NULL,
        last_value integer NOT NULL,
        PRIMARY KEY (project_id, usage)
      )`);
    await db.query(`ALTER TABLE ci_pipelines ADD COLUMN iid integer`);
    await db.query(`
      UPDATE ci_pipelines p SET iid = numbered.iid
        FROM (SELECT id, row_number() OVER (PARTITION BY project_id ORDER BY id) AS iid FROM ci_pipelines) numbered
       WHERE numbered.id = p.id`);
    await db.query(`
      INSERT INTO internal_ids (project_id, usage, last_value)
      SELECT project_id, 'ci_pipelines', max(iid) FROM ci_pipelines GROUP BY project_id`);
    await db.query(`ALTER TABLE ci_pipelines ALTER COLUMN iid SET NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX ci_pipelines_project_iid ON ci_pipelines (project_id, iid)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ci_pipelines_project_iid`);
    await db.query(`ALTER TABLE ci_pipelines DROP COLUMN iid`);
    await db.query(`DROP TABLE internal_ids`);
  }
}
