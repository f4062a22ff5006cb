import { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomClaims1764500000000 implements MigrationInterface {
  name = 'CustomClaims1764500000000';

  async up(db: QueryRunner): Promise<void> {
    // `value` is json, not jsonb: jsonb reorders object keys, and an AWS session-tags object is shown and signed
    // as its owner wrote it. Nothing queries inside values; the claims' own order is `position`.
    await db.query(`
      CREATE TABLE ci_id_token_custom_claims (
        id bigserial PRIMARY KEY,
        namespace_id bigint REFERENCES namespaces (id) ON DELETE CASCADE,
        project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
        key text NOT NULL,
        value json NOT NULL,
        mutable boolean NOT NULL DEFAULT false,
        position integer NOT NULL,
        CONSTRAINT ci_id_token_custom_claims_one_owner CHECK ((namespace_id IS NULL) <> (project_id IS NULL)),
        CONSTRAINT ci_id_token_custom_claims_namespace_key UNIQUE (namespace_id, key),
        CONSTRAINT ci_id_token_custom_claims_project_key UNIQUE (project_id, key)
      )`);
    // Who changed a level's claims, when, and from what to what; the level's name as it was then (paths change).
    await db.query(`
      CREATE TABLE ci_id_token_custom_claim_events (
        id bigserial PRIMARY KEY,
        namespace_id bigint REFERENCES namespaces (id) ON DELETE CASCADE,
        project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
        user_id bigint REFERENCES users (id) ON DELETE SET NULL,
        level text NOT NULL,
        before json NOT NULL,
        after json NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ci_id_token_custom_claim_events_one_owner CHECK ((namespace_id IS NULL) <> (project_id IS NULL))
      )`);
    await db.query('CREATE INDEX ci_id_token_custom_claim_events_namespace ON ci_id_token_custom_claim_events (namespace_id, id) WHERE namespace_id IS NOT NULL');
    await db.query('CREATE INDEX ci_id_token_custom_claim_events_project ON ci_id_token_custom_claim_events (project_id, id) WHERE project_id IS NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE ci_id_token_custom_claim_events');
    await db.query('DROP TABLE ci_id_token_custom_claims');
  }
}
