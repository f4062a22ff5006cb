import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@lanyard/migrations';
import { ENTITIES } from './entities';
import { PG_TYPES } from './pg-types';
import { PreparingClient } from './prepared-statements';

export interface DatabaseConnection {
  readonly url: string;
  /** 1 on the embedded database, which has a single session. */
  readonly poolSize: number;
  /** PGlite: one session, shared by every connection made to it. */
  readonly embedded: boolean;
}

export function buildDataSourceOptions(connection: DatabaseConnection): DataSourceOptions {
  return {
    type: 'postgres',
    url: connection.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      // Not on PGlite: its one session is shared by every connection made to it (a pool's reconnections, the test
      // suite's replicas), so a statement one of them prepared would be "already exists" for the next.
      ...(connection.embedded ? {} : { Client: PreparingClient }),
      types: PG_TYPES,
      max: connection.poolSize,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
