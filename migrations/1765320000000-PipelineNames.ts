import { MigrationInterface, QueryRunner } from 'typeorm';

/** `workflow:name` (issue 16): GitLab keeps it in `ci_pipeline_metadata.name`; Lanyard on the pipeline, as its API's `name`. */
export class PipelineNames1765320000000 implements MigrationInterface {
  name = 'PipelineNames1765320000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_pipelines ADD COLUMN name varchar(255)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_pipelines DROP COLUMN name`);
  }
}
