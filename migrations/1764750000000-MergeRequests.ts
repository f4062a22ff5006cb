import { MigrationInterface, QueryRunner } from 'typeorm';

/** Merge requests, and the merge request a pipeline was created for (its source project names the job's code). */
export class MergeRequests1764750000000 implements MigrationInterface {
  name = 'MergeRequests1764750000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE merge_requests (
        id bigserial PRIMARY KEY,
        -- Numbered in the target project, where a merge request lives (GitLab's iid).
        iid integer NOT NULL,
        target_project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        -- Null once the source project (a fork) is deleted: the merge request and its pipelines stay in the target,
        -- as GitLab's; a fork's owner cannot erase what ran in the parent, nor its token audit.
        source_project_id bigint REFERENCES projects (id) ON DELETE SET NULL,
        source_branch varchar(255) NOT NULL,
        target_branch varchar(255) NOT NULL,
        title varchar(255) NOT NULL,
        description text NOT NULL DEFAULT '',
        state varchar(16) NOT NULL DEFAULT 'opened' CHECK (state IN ('opened', 'closed', 'merged', 'locked')),
        author_id bigint REFERENCES users (id) ON DELETE SET NULL,
        closed_by_id bigint REFERENCES users (id) ON DELETE SET NULL,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (target_project_id, iid)
      )`);
    await db.query(`CREATE INDEX merge_requests_source_project_id ON merge_requests (source_project_id)`);
    await db.query(`ALTER TABLE ci_pipelines ADD COLUMN merge_request_id bigint REFERENCES merge_requests (id) ON DELETE CASCADE`);
    await db.query(`CREATE INDEX ci_pipelines_merge_request_id ON ci_pipelines (merge_request_id) WHERE merge_request_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ci_pipelines DROP COLUMN merge_request_id`);
    await db.query(`DROP TABLE merge_requests`);
  }
}
