import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job progression, issue 16: what decides when a job starts and what its end means, as GitLab stores it. On
 * `ci_builds`: `when`, `allow_failure`, `scheduling_type` (`dag` with `needs`) (set true when a failure's exit code is allowed), `scheduled_at` of a delayed
 * job, `retried` (a later copy replaced it), the runner's `exit_code`, the resource group; and the options read when
 * it is decided (`start_in`, `allow_failure:exit_codes`, `retry`). `ci_build_needs` is GitLab's table of a job's
 * `needs`; `ci_resource_groups` one row per project and key, locked while a job takes or frees it. `status` grows
 * for `waiting_for_resource`.
 */
export class JobProgression1765310000000 implements MigrationInterface {
  name = 'JobProgression1765310000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ci_resource_groups (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        key varchar(255) NOT NULL,
        UNIQUE (project_id, key)
      )`);
    await db.query(`ALTER TABLE ci_builds ALTER COLUMN status TYPE varchar(32)`);
    await db.query(`
      ALTER TABLE ci_builds
        ADD COLUMN "when" varchar(16) NOT NULL DEFAULT 'on_success',
        ADD COLUMN allow_failure boolean NOT NULL DEFAULT false,
        ADD COLUMN scheduling_type varchar(8) NOT NULL DEFAULT 'stage',
        ADD COLUMN scheduled_at timestamptz,
        ADD COLUMN retried boolean NOT NULL DEFAULT false,
        ADD COLUMN exit_code integer,
        ADD COLUMN resource_group_id bigint REFERENCES ci_resource_groups (id) ON DELETE SET NULL,
        ADD COLUMN start_in integer,
        ADD COLUMN allow_failure_exit_codes jsonb,
        ADD COLUMN retry jsonb`);
    // The scheduler's scan: only delayed jobs waiting for their time.
    await db.query(`CREATE INDEX ci_builds_scheduled ON ci_builds (scheduled_at) WHERE status = 'scheduled'`);
    await db.query(`CREATE INDEX ci_builds_resource_group ON ci_builds (resource_group_id, id) WHERE resource_group_id IS NOT NULL`);
    await db.query(`
      CREATE TABLE ci_build_needs (
        id bigserial PRIMARY KEY,
        build_id bigint NOT NULL REFERENCES ci_builds (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        artifacts boolean NOT NULL DEFAULT true,
        optional boolean NOT NULL DEFAULT false
      )`);
    await db.query(`CREATE INDEX ci_build_needs_build_id ON ci_build_needs (build_id)`);
    // Variables a user gave when playing a manual job (GitLab's `ci_job_variables`).
    await db.query(`
      CREATE TABLE ci_job_variables (
        id bigserial PRIMARY KEY,
        build_id bigint NOT NULL REFERENCES ci_builds (id) ON DELETE CASCADE,
        key varchar(255) NOT NULL,
        value text NOT NULL,
        variable_type varchar(16) NOT NULL DEFAULT 'env_var',
        UNIQUE (build_id, key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ci_job_variables`);
    await db.query(`DROP TABLE ci_build_needs`);
    await db.query(`DROP INDEX ci_builds_resource_group`);
    await db.query(`DROP INDEX ci_builds_scheduled`);
    // Jobs whose status no longer fits are put back to `created`, which the older code starts by stage.
    await db.query(`UPDATE ci_builds SET status = 'created' WHERE length(status) > 16`);
    await db.query(`DELETE FROM ci_builds WHERE retried`);
    await db.query(`
      ALTER TABLE ci_builds
        DROP COLUMN "when", DROP COLUMN allow_failure, DROP COLUMN scheduling_type, DROP COLUMN scheduled_at, DROP COLUMN retried, DROP COLUMN exit_code,
        DROP COLUMN resource_group_id, DROP COLUMN start_in, DROP COLUMN allow_failure_exit_codes, DROP COLUMN retry`);
    await db.query(`ALTER TABLE ci_builds ALTER COLUMN status TYPE varchar(16)`);
    await db.query(`DROP TABLE ci_resource_groups`);
  }
}
