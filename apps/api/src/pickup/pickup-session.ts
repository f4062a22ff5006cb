import type { DataSource, EntityManager } from 'typeorm';
import type { PoolClient } from 'pg';

/** What the pickup's statements run on: rows for a statement and its parameters. */
export interface SqlSession {
  query<Row>(text: string, values: readonly unknown[]): Promise<Row[]>;
}

/**
 * Runs `work` in one transaction on one pooled connection, its statements sent on the `pg` client itself: the pickup
 * runs four statements on every poll that finds a job, and TypeORM's query path cost more of the event loop than
 * PostgreSQL's answer did. `manager` is the same connection's EntityManager, for what the pickup shares with other
 * modules (signing keys, a dropped job's pipeline). Rolls back when `work` throws.
 */
export async function inPickupTransaction<T>(
  db: DataSource,
  work: (session: SqlSession, manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  const session: SqlSession = {
    query: async <Row>(text: string, values: readonly unknown[]) => (await client.query(text, [...values])).rows as Row[],
  };
  try {
    // Begun and ended through TypeORM, so that `manager` knows it is inside a transaction (row locks need one).
    await runner.startTransaction();
    const result = await work(session, runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
