import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763880000000 implements MigrationInterface {
  name = 'Foundation1763880000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id bigserial PRIMARY KEY,
        username varchar(255) NOT NULL,
        name varchar(255) NOT NULL,
        email varchar(255) NOT NULL,
        admin boolean NOT NULL DEFAULT false,
        state varchar(32) NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_username_unique ON users (lower(username))`);
    await db.query(`CREATE UNIQUE INDEX users_email_unique ON users (lower(email))`);

    await db.query(`
      CREATE TABLE personal_access_tokens (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        token_digest char(64) NOT NULL UNIQUE,
        scopes text[] NOT NULL DEFAULT '{api}',
        expires_at date,
        revoked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX personal_access_tokens_user_id ON personal_access_tokens (user_id)`);

    await db.query(`
      CREATE TABLE namespaces (
        id bigserial PRIMARY KEY,
        name varchar(255) NOT NULL,
        path varchar(255) NOT NULL,
        type varchar(16) NOT NULL CHECK (type IN ('User', 'Group')),
        parent_id bigint REFERENCES namespaces (id) ON DELETE CASCADE,
        owner_id bigint REFERENCES users (id) ON DELETE CASCADE,
        traversal_ids bigint[] NOT NULL DEFAULT '{}',
        visibility varchar(16) NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'internal', 'public')),
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Paths are unique among siblings; top-level paths are unique across groups and users.
    await db.query(`CREATE UNIQUE INDEX namespaces_top_level_path ON namespaces (lower(path)) WHERE parent_id IS NULL`);
    await db.query(`CREATE UNIQUE INDEX namespaces_child_path ON namespaces (parent_id, lower(path)) WHERE parent_id IS NOT NULL`);
    await db.query(`CREATE INDEX namespaces_traversal_ids ON namespaces USING gin (traversal_ids)`);

    await db.query(`
      CREATE TABLE projects (
        id bigserial PRIMARY KEY,
        name varchar(255) NOT NULL,
        path varchar(255) NOT NULL,
        namespace_id bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
        description text NOT NULL DEFAULT '',
        visibility varchar(16) NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'internal', 'public')),
        default_branch varchar(255),
        build_timeout integer NOT NULL DEFAULT 3600 CHECK (build_timeout BETWEEN 600 AND 2592000),
        forked_from_project_id bigint REFERENCES projects (id) ON DELETE SET NULL,
        creator_id bigint REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX projects_namespace_path ON projects (namespace_id, lower(path))`);

    await db.query(`
      CREATE TABLE members (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        source_type varchar(16) NOT NULL CHECK (source_type IN ('Namespace', 'Project')),
        source_id bigint NOT NULL,
        access_level smallint NOT NULL CHECK (access_level IN (10, 20, 30, 40, 50)),
        expires_at date,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_type, source_id, user_id)
      )`);
    await db.query(`CREATE INDEX members_user_id ON members (user_id)`);

    await db.query(`
      CREATE TABLE repository_commits (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        sha char(40) NOT NULL,
        parent_sha char(40),
        message text NOT NULL,
        author_name varchar(255) NOT NULL,
        author_email varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, sha)
      )`);
    // A minimal repository: every commit holds its whole tree, so reading a file at a ref is one lookup.
    await db.query(`
      CREATE TABLE repository_files (
        commit_id bigint NOT NULL REFERENCES repository_commits (id) ON DELETE CASCADE,
        path varchar(1024) NOT NULL,
        content bytea NOT NULL,
        -- The commit that last changed this path: copied with the tree, so GitLab's last_commit_id is one lookup.
        last_commit_sha char(40) NOT NULL,
        PRIMARY KEY (commit_id, path)
      )`);
    await db.query(`
      CREATE TABLE repository_refs (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        ref_type varchar(8) NOT NULL CHECK (ref_type IN ('branch', 'tag')),
        commit_sha char(40) NOT NULL,
        message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, ref_type, name)
      )`);
    await db.query(`
      CREATE TABLE protected_refs (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        ref_type varchar(8) NOT NULL CHECK (ref_type IN ('branch', 'tag')),
        push_access_level smallint NOT NULL DEFAULT 40,
        merge_access_level smallint NOT NULL DEFAULT 40,
        allow_force_push boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, ref_type, name)
      )`);

    await db.query(`
      CREATE TABLE ci_variables (
        id bigserial PRIMARY KEY,
        project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
        namespace_id bigint REFERENCES namespaces (id) ON DELETE CASCADE,
        key varchar(255) NOT NULL,
        value text NOT NULL,
        variable_type varchar(16) NOT NULL DEFAULT 'env_var' CHECK (variable_type IN ('env_var', 'file')),
        masked boolean NOT NULL DEFAULT false,
        protected boolean NOT NULL DEFAULT false,
        raw boolean NOT NULL DEFAULT false,
        environment_scope varchar(255) NOT NULL DEFAULT '*',
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((project_id IS NULL) <> (namespace_id IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX ci_variables_project_key ON ci_variables (project_id, key, environment_scope) WHERE project_id IS NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX ci_variables_namespace_key ON ci_variables (namespace_id, key, environment_scope) WHERE namespace_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'ci_variables',
      'protected_refs',
      'repository_refs',
      'repository_files',
      'repository_commits',
      'members',
      'projects',
      'namespaces',
      'personal_access_tokens',
      'users',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
