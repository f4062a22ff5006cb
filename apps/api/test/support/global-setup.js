// Runs once, in plain Node (PGlite loads its WASM with a dynamic import, which Jest's sandbox cannot do):
// picks the database (DATABASE_URL, else an embedded one), applies the migrations once, and hands the
// settings to the test workers through the environment.
const path = require('node:path');
const fs = require('node:fs');

module.exports = async function globalSetup() {
  require(path.join(__dirname, '../../../../tools/register.js'));
  const { startEmbeddedPostgres } = require('../../src/database/embedded-postgres');
  const { MIGRATIONS } = require('../../../../migrations');
  const { DataSource } = require('typeorm');

  if (!process.env.DATABASE_URL) {
    // Test files run one at a time, each with one connection, but a closing file's connection can outlive the
    // next file's first connect by a moment: allow that overlap instead of refusing the newcomer.
    const embedded = await startEmbeddedPostgres(undefined, { maxConnections: 4 });
    globalThis.__LANYARD_EMBEDDED__ = embedded;
    process.env.DATABASE_URL = embedded.url;
    process.env.LANYARD_TEST_POOL_SIZE = '1';
    process.env.LANYARD_TEST_EMBEDDED = '1';
  }
  process.env.LANYARD_ROOT_TOKEN = process.env.LANYARD_ROOT_TOKEN || 'glpat-test-root-token-0123456789';
  process.env.LANYARD_EXTERNAL_URL = 'http://lanyard.test';
  // A fixed test-only key, so no test writes a generated key file into the working tree.
  process.env.LANYARD_KEY_ENCRYPTION_KEY = process.env.LANYARD_KEY_ENCRYPTION_KEY || '0123456789abcdef'.repeat(4);
  // The test files share one database, so they share one repositories directory too (repositories are per project id).
  process.env.LANYARD_REPOSITORIES_DIR = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'lanyard-test-repositories-'));
  process.env.LANYARD_TEST_LOG = path.resolve(__dirname, '../../../../tmp/test-server-' + process.pid + '.log');
  fs.mkdirSync(path.dirname(process.env.LANYARD_TEST_LOG), { recursive: true });
  fs.writeFileSync(process.env.LANYARD_TEST_LOG, '');

  const dataSource = new DataSource({
    type: 'postgres',
    url: process.env.DATABASE_URL,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    extra: { max: 1 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
};
