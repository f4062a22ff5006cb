import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal access tokens, issue 18: GitLab's `description` and `last_used_at` (stamped at most every ten minutes when a
 * token authenticates), and the token a rotation replaced, so a token's lineage is known.
 */
export class PersonalAccessTokenUse1765340000000 implements MigrationInterface {
  name = 'PersonalAccessTokenUse1765340000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE personal_access_tokens
        ADD COLUMN description varchar(255),
        ADD COLUMN last_used_at timestamptz,
        ADD COLUMN previous_personal_access_token_id bigint REFERENCES personal_access_tokens (id) ON DELETE SET NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE personal_access_tokens
        DROP COLUMN previous_personal_access_token_id,
        DROP COLUMN last_used_at,
        DROP COLUMN description`);
  }
}
