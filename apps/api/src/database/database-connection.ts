import type { AppConfig } from '../config/app-config';
import { DatabaseConnection } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface OpenedDatabase extends DatabaseConnection {
  readonly embedded: boolean;
  close(): Promise<void>;
}

/** The configured PostgreSQL, or an embedded one under the data directory when DATABASE_URL is absent. */
export async function openDatabase(config: AppConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, poolSize: 10, embedded: false, close: async () => undefined };
  }
  const embedded = await startEmbeddedPostgres(config.dataDir);
  return { url: embedded.url, poolSize: 1, embedded: true, close: () => embedded.stop() };
}
