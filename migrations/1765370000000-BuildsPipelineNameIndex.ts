import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: the pickup reads a job's dependency candidates by name (`needs:`, `dependencies:`) within its pipeline;
 * without this index each such read walks the whole pipeline, thousands of rows in a large one. The pipeline is
 * indexed as `pipeline_id + 0`, which only the by-name reads write: each read then has exactly one index to use (by name
 * this one, by stage `ci_builds_pipeline_id`), whatever the statistics say, even on a new pipeline's rows.
 */
export class BuildsPipelineNameIndex1765370000000 implements MigrationInterface {
  name = 'BuildsPipelineNameIndex1765370000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX ci_builds_name_pipeline ON ci_builds (name, (pipeline_id + 0))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ci_builds_name_pipeline`);
  }
}
