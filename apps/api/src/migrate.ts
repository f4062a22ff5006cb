import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './all-entities';
import { loadConfig } from './config/app-config';
import { loadDotEnv } from './config/dot-env';
import { openDatabase } from './database/database-connection';
import { buildDataSourceOptions } from './database/data-source-options';

/** `npm run migrate`: applies pending migrations and exits. */
async function migrate(): Promise<void> {
  loadDotEnv();
  const database = await openDatabase(loadConfig(process.env));
  const dataSource = new DataSource(buildDataSourceOptions(database, ENTITIES));
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations();
    console.log(JSON.stringify({ level: 'info', msg: 'migrations applied', applied: applied.map((m) => m.name) }));
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.close();
  }
}

migrate().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', msg: error instanceof Error ? error.message : String(error) }));
  process.exit(1);
});
