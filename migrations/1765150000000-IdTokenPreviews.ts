import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The token preview's audit: who previewed which job's tokens, and when. `created_at` has no default: the app's clock
 * writes it, as it times everything else. `tokens` keeps each token's variable, `aud` as declared (variables
 * unexpanded) and `sub` — never a token, never a variable's value: every maintainer of the project reads this.
 */
export class IdTokenPreviews1765150000000 implements MigrationInterface {
  name = 'IdTokenPreviews1765150000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ci_id_token_previews (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        user_id bigint REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL,
        ref varchar(255) NOT NULL,
        sha char(40) NOT NULL,
        job varchar(255) NOT NULL,
        pipeline_source varchar(32) NOT NULL,
        unsaved_config boolean NOT NULL,
        tokens jsonb NOT NULL,
        -- Set when a runner taking the job would have failed it (the preview answered 422): no token was shown.
        failure_reason varchar(64)
      )`);
    await db.query('CREATE INDEX ci_id_token_previews_project ON ci_id_token_previews (project_id, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE ci_id_token_previews');
  }
}
