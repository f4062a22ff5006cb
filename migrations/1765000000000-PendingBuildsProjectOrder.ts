import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Project runners claim in `build_id + 0` order from an index on exactly that: the claim is now a prepared
 * statement, and its generic plan (planned without the project id, so blind to how many jobs a project has) preferred
 * walking the primary key in `build_id` order and filtering each row, which reads every other project's pending jobs
 * on an idle poll. The primary key cannot give `build_id + 0` order, so every plan reads this index, in order.
 */
export class PendingBuildsProjectOrder1765000000000 implements MigrationInterface {
  name = 'PendingBuildsProjectOrder1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX ci_pending_builds_project_order ON ci_pending_builds (project_id, (build_id + 0))`);
    await db.query(`DROP INDEX ci_pending_builds_project_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX ci_pending_builds_project_id ON ci_pending_builds (project_id, build_id)`);
    await db.query(`DROP INDEX ci_pending_builds_project_order`);
  }
}
