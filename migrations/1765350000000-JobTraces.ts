import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job logs, issue 18: the runner appends its log (`PATCH /jobs/:id/trace`) and the server stores it masked, one chunk
 * per append, as GitLab's `ci_build_trace_chunks` keeps a log in pieces. `ci_job_traces` keeps where the runner's
 * stream stands (`size`, its bytes, which the `Range` header reports) apart from the stored bytes (`stored_size`,
 * masked, capped at the limit), and the bytes held back because a secret may span the next append: encrypted under a
 * key derived from the job token, which the server never stores, so they are never at rest in clear.
 */
export class JobTraces1765350000000 implements MigrationInterface {
  name = 'JobTraces1765350000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ci_job_traces (
        build_id bigint PRIMARY KEY REFERENCES ci_builds (id) ON DELETE CASCADE,
        size bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
        stored_size bigint NOT NULL DEFAULT 0 CHECK (stored_size >= 0),
        chunks integer NOT NULL DEFAULT 0,
        truncated boolean NOT NULL DEFAULT false,
        held_sealed bytea,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE ci_job_trace_chunks (
        build_id bigint NOT NULL REFERENCES ci_job_traces (build_id) ON DELETE CASCADE,
        chunk_index integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (build_id, chunk_index)
      )`);
    // The log's masking reads the ID tokens minted for its job on each append.
    await db.query(`CREATE INDEX ci_id_token_issuances_build_id ON ci_id_token_issuances (build_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ci_id_token_issuances_build_id`);
    await db.query(`DROP TABLE ci_job_trace_chunks`);
    await db.query(`DROP TABLE ci_job_traces`);
  }
}
