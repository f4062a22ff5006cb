import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every `deploy_access_levels` entry of a protected environment, as GitLab keeps them: a role, a user or a group
 * (with its inheritance type). Replaces the single strictest level kept so far; each existing protection keeps that
 * level as its one role entry. `down` folds the entries back into one level, the strictest one a role column can
 * hold: user and group entries cannot be expressed there, so an environment with only those becomes admin-only.
 */
export class ProtectedEnvironmentDeployAccessLevels1764200001000 implements MigrationInterface {
  name = 'ProtectedEnvironmentDeployAccessLevels1764200001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE protected_environment_deploy_access_levels (
        id bigserial PRIMARY KEY,
        protected_environment_id bigint NOT NULL REFERENCES protected_environments (id) ON DELETE CASCADE,
        access_level smallint CHECK (access_level IN (20, 30, 40, 60)),
        user_id bigint REFERENCES users (id) ON DELETE CASCADE,
        group_id bigint REFERENCES namespaces (id) ON DELETE CASCADE,
        group_inheritance_type smallint NOT NULL DEFAULT 0 CHECK (group_inheritance_type IN (0, 1)),
        CHECK (num_nonnulls(access_level, user_id, group_id) = 1)
      )`);
    await db.query(
      `CREATE INDEX protected_environment_deploy_access_levels_environment ON protected_environment_deploy_access_levels (protected_environment_id)`,
    );
    await db.query(`
      INSERT INTO protected_environment_deploy_access_levels (protected_environment_id, access_level)
      SELECT id, deploy_access_level FROM protected_environments ORDER BY id`);
    await db.query('ALTER TABLE protected_environments DROP COLUMN deploy_access_level');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE protected_environments
        ADD COLUMN deploy_access_level smallint NOT NULL DEFAULT 40 CHECK (deploy_access_level IN (30, 40, 60))`);
    await db.query(`
      UPDATE protected_environments e SET deploy_access_level = coalesce(
        (SELECT max(greatest(a.access_level, 30)) FROM protected_environment_deploy_access_levels a
          WHERE a.protected_environment_id = e.id AND a.access_level IS NOT NULL), 60)`);
    await db.query('DROP TABLE protected_environment_deploy_access_levels');
  }
}
