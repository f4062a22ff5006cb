import { MigrationInterface, QueryRunner } from 'typeorm';

export class PipelinesAndRunners1763890000000 implements MigrationInterface {
  name = 'PipelinesAndRunners1763890000000';

  async up(db: QueryRunner): Promise<void> {
    // No row means the defaults: opt_in_jwt on (secure default), sub components inherited.
    await db.query(`
      CREATE TABLE project_ci_cd_settings (
        project_id bigint PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
        opt_in_jwt boolean NOT NULL DEFAULT true,
        id_token_sub_claim_components text[]
      )`);

    await db.query(`
      CREATE TABLE ci_runners (
        id bigserial PRIMARY KEY,
        token_digest char(64) NOT NULL UNIQUE,
        runner_type varchar(16) NOT NULL CHECK (runner_type IN ('instance_type', 'group_type', 'project_type')),
        namespace_id bigint REFERENCES namespaces (id) ON DELETE CASCADE,
        project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
        description varchar(1024) NOT NULL DEFAULT '',
        gitlab_hosted boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        creator_id bigint REFERENCES users (id) ON DELETE SET NULL,
        contacted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (
          (runner_type = 'instance_type' AND namespace_id IS NULL AND project_id IS NULL) OR
          (runner_type = 'group_type' AND namespace_id IS NOT NULL AND project_id IS NULL) OR
          (runner_type = 'project_type' AND project_id IS NOT NULL AND namespace_id IS NULL)
        )
      )`);

    await db.query(`
      CREATE TABLE ci_pipelines (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        ref varchar(255) NOT NULL,
        tag boolean NOT NULL,
        sha char(40) NOT NULL,
        source varchar(32) NOT NULL,
        user_id bigint REFERENCES users (id) ON DELETE SET NULL,
        status varchar(16) NOT NULL,
        -- Variables given when the pipeline was created (the API parameter variables): [{key, value, variable_type}].
        variables jsonb NOT NULL DEFAULT '[]',
        yaml_errors text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX ci_pipelines_project_id ON ci_pipelines (project_id, id)`);

    await db.query(`
      CREATE TABLE ci_builds (
        id bigserial PRIMARY KEY,
        pipeline_id bigint NOT NULL REFERENCES ci_pipelines (id) ON DELETE CASCADE,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        stage varchar(255) NOT NULL,
        stage_idx integer NOT NULL,
        status varchar(16) NOT NULL,
        user_id bigint REFERENCES users (id) ON DELETE SET NULL,
        runner_id bigint REFERENCES ci_runners (id) ON DELETE SET NULL,
        token_digest char(64) UNIQUE,
        failure_reason varchar(64),
        timeout integer NOT NULL,
        protected boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        queued_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX ci_builds_pipeline_id ON ci_builds (pipeline_id, stage_idx)`);
    // The runner queue: pending builds in id order.
    await db.query(`CREATE INDEX ci_builds_pending ON ci_builds (id) WHERE status = 'pending'`);

    await db.query(`
      CREATE TABLE ci_builds_metadata (
        build_id bigint PRIMARY KEY REFERENCES ci_builds (id) ON DELETE CASCADE,
        -- json, not jsonb: jsonb re-sorts object keys, and the order written is meaningful (variables, id_tokens).
        script json NOT NULL,
        variables json NOT NULL,
        id_tokens json NOT NULL,
        secrets json NOT NULL,
        jwt_claims json,
        environment json
      )`);

    await db.query(`
      CREATE TABLE environments (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        tier varchar(16) NOT NULL CHECK (tier IN ('production', 'staging', 'testing', 'development', 'other')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, name)
      )`);
    await db.query(`
      CREATE TABLE protected_environments (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        deploy_access_level smallint NOT NULL DEFAULT 40 CHECK (deploy_access_level IN (30, 40, 60)),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, name)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'protected_environments',
      'environments',
      'ci_builds_metadata',
      'ci_builds',
      'ci_pipelines',
      'ci_runners',
      'project_ci_cd_settings',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
