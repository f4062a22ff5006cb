import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GitLab's `ci_pending_builds`: one row per pending job, with what each runner scope filters on copied from the
 * project and its namespace, so a poll reads only the queue (never the whole history in `ci_builds`). Project
 * runners use (project_id, build_id), group runners the GIN index on the traversal ids (GitLab's
 * `namespace_traversal_ids && '{group}'`), instance runners the primary key; all take the oldest job first.
 */
export class PendingBuildsQueue1764900000000 implements MigrationInterface {
  name = 'PendingBuildsQueue1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ci_pending_builds (
        build_id bigint PRIMARY KEY REFERENCES ci_builds (id) ON DELETE CASCADE,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        namespace_traversal_ids bigint[] NOT NULL,
        protected boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ci_pending_builds_project_id ON ci_pending_builds (project_id, build_id)`);
    // No pending list (fastupdate): every poll would scan it linearly, and the planner, costing it, would rather
    // scan the table; a queue row's few ids are cheap to insert straight into the tree.
    await db.query(
      `CREATE INDEX ci_pending_builds_namespace_traversal_ids ON ci_pending_builds USING gin (namespace_traversal_ids) WITH (fastupdate = off)`,
    );
    await db.query(`
      INSERT INTO ci_pending_builds (build_id, project_id, namespace_traversal_ids, protected, created_at)
      SELECT b.id, b.project_id, n.traversal_ids, b.protected, coalesce(b.queued_at, b.created_at)
        FROM ci_builds b JOIN projects p ON p.id = b.project_id JOIN namespaces n ON n.id = p.namespace_id
       WHERE b.status = 'pending'`);
    // The queue the table replaces: nothing reads it any more, and every status change would keep paying for it.
    await db.query(`DROP INDEX ci_builds_pending`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX ci_builds_pending ON ci_builds (id) WHERE status = 'pending'`);
    await db.query(`DROP TABLE ci_pending_builds`);
  }
}
