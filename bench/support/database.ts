import { Client } from 'pg';

/** The bench's own database on a PostgreSQL server: created empty before the run, dropped after it. */
export interface BenchDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates `lanyard_bench_<timestamp>` through a plain `pg` client connected to the server's `postgres` database, so
 * the bench never writes into the database DATABASE_URL names.
 */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `lanyard_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdminClient(serverUrl, async (admin) => {
        // FORCE (PostgreSQL 13+) ends a connection the application's pool may still hold after a failed run.
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => admin.query(`DROP DATABASE IF EXISTS ${name}`));
      });
    },
  };
}

/** `SELECT version()` on the server, for the results file. */
export function serverVersion(serverUrl: string): Promise<string> {
  return withAdminClient(serverUrl, async (admin) => (await admin.query<{ version: string }>('SELECT version()')).rows[0].version);
}

/** `use` with a client on the server's `postgres` database, closed afterwards. */
export async function withAdminClient<T>(serverUrl: string, use: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
