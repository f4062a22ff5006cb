import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reclaimed-path protection (GitLab 19.1, #600358): every full path a project gave up by delete, rename or transfer,
 * and the instance setting that decides whether path-led `sub`s are refused on such a path.
 */
export class ReclaimedPaths1764700000000 implements MigrationInterface {
  name = 'ReclaimedPaths1764700000000';

  async up(db: QueryRunner): Promise<void> {
    // GitLab's `burned_project_routes`: no foreign key, the project is usually gone; the first burn of a path wins.
    await db.query(`
      CREATE TABLE burned_routes (
        id bigserial PRIMARY KEY,
        path text NOT NULL,
        project_id bigint NOT NULL,
        burned_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX burned_routes_lower_path ON burned_routes (lower(path))`);
    // One row: the instance's settings (GitLab's `application_settings`), only what Lanyard implements.
    await db.query(`
      CREATE TABLE application_settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        block_jwt_for_reclaimed_paths boolean NOT NULL DEFAULT true
      )`);
    await db.query(`INSERT INTO application_settings (id) VALUES (1)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE application_settings`);
    await db.query(`DROP TABLE burned_routes`);
  }
}
