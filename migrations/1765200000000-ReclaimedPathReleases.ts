import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reclaimed paths, issue 14: every project that ever gave a path up is kept (not only the first, which let the first
 * owner come back and mint a later holder's identity), and an admin may release a path for one project, recorded with
 * who and when. A release covers the give-ups recorded when it was made.
 */
export class ReclaimedPathReleases1765200000000 implements MigrationInterface {
  name = 'ReclaimedPathReleases1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX burned_routes_lower_path`);
    await db.query(`CREATE UNIQUE INDEX burned_routes_lower_path_project ON burned_routes (lower(path), project_id)`);
    await db.query(`
      CREATE TABLE reclaimed_path_releases (
        burned_route_id bigint NOT NULL REFERENCES burned_routes (id) ON DELETE CASCADE,
        project_id bigint NOT NULL,
        released_by_id bigint REFERENCES users (id) ON DELETE SET NULL,
        released_at timestamptz NOT NULL,
        PRIMARY KEY (burned_route_id, project_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reclaimed_path_releases`);
    await db.query(`DROP INDEX burned_routes_lower_path_project`);
    // The old table kept one project per path: the first that gave it up.
    await db.query(`DELETE FROM burned_routes b USING burned_routes first WHERE lower(first.path) = lower(b.path) AND first.id < b.id`);
    await db.query(`CREATE UNIQUE INDEX burned_routes_lower_path ON burned_routes (lower(path))`);
  }
}
