import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@lanyard/migrations';
import { PG_TYPES } from './pg-types';
import { PreparingClient } from './prepared-statements';

export interface DatabaseConnection {
  readonly url: string;
  /** 1 on the embedded database, which has a single session. */
  readonly poolSize: number;
}

/** `entities`: every entity of the app (`all-entities.ts`, beside the app's wiring). */
export function buildDataSourceOptions(connection: DatabaseConnection, entities: DataSourceOptions['entities']): DataSourceOptions {
  return {
    type: 'postgres',
    url: connection.url,
    entities,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      Client: PreparingClient,
      types: PG_TYPES,
      max: connection.poolSize,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
