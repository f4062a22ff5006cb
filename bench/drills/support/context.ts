import { withAdminClient } from '../../support/database';
import { Client } from 'pg';

export type Figure = number | string | boolean | null;

/** What every drill returns: its figures (for bench/drills.json and the README), and each promise it saw broken. */
export interface DrillResult {
  readonly figures: Record<string, Figure>;
  readonly problems: string[];
}

export interface DrillOptions {
  /** The machine's PostgreSQL, where drills 1, 3, 5 (and 6) create their own database. */
  readonly sharedServerUrl: string;
  readonly rotationCycles: number;
  readonly soakMinutes: number;
}

export interface DrillContext {
  readonly workDir: string;
  readonly options: DrillOptions;
  progress(message: string): void;
  /** Runs at the drill's end, newest first, whatever happened. */
  defer(name: string, step: () => unknown): void;
}

/** `lanyard_drill_<name>` on the shared server, created fresh (an earlier run's copy is dropped) and dropped at the end. */
export async function freshDatabase(context: DrillContext, name: string): Promise<string> {
  const database = `lanyard_drill_${name}`;
  await withAdminClient(context.options.sharedServerUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  });
  context.defer(`drop database ${database}`, () =>
    withAdminClient(context.options.sharedServerUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)),
  );
  const url = new URL(context.options.sharedServerUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** One statement on a database of the drill's own connection (not the service's). */
export async function query<T extends Record<string, unknown>>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}
