import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdTokens1763900000000 implements MigrationInterface {
  name = 'IdTokens1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ci_jwt_signing_keys (
        id bigserial PRIMARY KEY,
        kid varchar(64) NOT NULL UNIQUE,
        alg varchar(8) NOT NULL DEFAULT 'RS256' CHECK (alg = 'RS256'),
        public_jwk jsonb NOT NULL,
        -- AES-256-GCM under LANYARD_KEY_ENCRYPTION_KEY: 12-byte IV, 16-byte tag, then the PKCS#8 DER ciphertext.
        private_key bytea NOT NULL,
        state varchar(8) NOT NULL CHECK (state IN ('next', 'active', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A key signs only after verifiers have had the publish lead time to fetch it.
        usable_from timestamptz NOT NULL,
        activated_at timestamptz,
        retired_at timestamptz,
        -- A retired key stays in the JWKS until every token it signed has expired, plus skew and the lead time.
        published_until timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX ci_jwt_signing_keys_one_active ON ci_jwt_signing_keys (state) WHERE state = 'active'`);

    await db.query(`
      CREATE TABLE ci_id_token_issuances (
        jti uuid PRIMARY KEY,
        build_id bigint NOT NULL REFERENCES ci_builds (id) ON DELETE CASCADE,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        variable varchar(255) NOT NULL,
        aud jsonb NOT NULL,
        sub varchar(255) NOT NULL,
        kid varchar(64) NOT NULL,
        iat bigint NOT NULL,
        exp bigint NOT NULL
      )`);
    await db.query(`CREATE INDEX ci_id_token_issuances_project ON ci_id_token_issuances (project_id, iat DESC, jti)`);
    await db.query(`CREATE INDEX ci_id_token_issuances_kid ON ci_id_token_issuances (kid, exp)`);

    // A group's default sub components for the projects below it that set none (null: inherit further up).
    await db.query(`
      CREATE TABLE namespace_ci_cd_settings (
        namespace_id bigint PRIMARY KEY REFERENCES namespaces (id) ON DELETE CASCADE,
        id_token_sub_claim_components text[]
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE namespace_ci_cd_settings');
    await db.query('DROP TABLE ci_id_token_issuances');
    await db.query('DROP TABLE ci_jwt_signing_keys');
  }
}
