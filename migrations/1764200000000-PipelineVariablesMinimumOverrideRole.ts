import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GitLab's `ci_pipeline_variables_minimum_override_role`, kept on `projects` beside `build_timeout` (GitLab keeps it
 * in `project_ci_cd_settings`; the API field is the same). New projects get `no_one_allowed`, GitLab.com's secure
 * default. Projects that exist already get `maintainer`: developers could redirect a protected job's Vault login
 * through pipeline variables, so they lose that, while maintainers, who may run protected pipelines anyway, keep
 * the variables they pass today.
 */
export class PipelineVariablesMinimumOverrideRole1764200000000 implements MigrationInterface {
  name = 'PipelineVariablesMinimumOverrideRole1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE projects ADD COLUMN ci_pipeline_variables_minimum_override_role varchar(16) NOT NULL DEFAULT 'maintainer'
        CHECK (ci_pipeline_variables_minimum_override_role IN ('no_one_allowed', 'developer', 'maintainer', 'owner'))`);
    await db.query(`ALTER TABLE projects ALTER COLUMN ci_pipeline_variables_minimum_override_role SET DEFAULT 'no_one_allowed'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE projects DROP COLUMN ci_pipeline_variables_minimum_override_role');
  }
}
