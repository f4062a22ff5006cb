import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { PoolClient } from 'pg';

/** What the pickup's statements run on: rows for a statement and its parameters. */
export interface SqlSession {
  query<Row>(text: string, values: readonly unknown[]): Promise<Row[]>;
}

/**
 * Opens the pickup's transaction, in one round trip with the one setting it needs: PostgreSQL runs the pickup's
 * prepared statements with their generic plans, planned once per connection. Left to choose, it compares the generic
 * plan's estimate with the custom plans' and, once statistics are fresh (autovacuum analyzes the queue as it churns),
 * kept re-planning the claim at every pickup: about 5 ms of planning for 1 ms of execution, on 7,503 of 9,264
 * pickups in a bench drain (`pg_stat_statements`). The generic plans are the ones `EXPLAIN` checks pin
 * (`pending-builds.integration-spec.ts`). `SET LOCAL` ends with the transaction, so the pooled connection's other
 * users plan as usual.
 */
const BEGIN_PICKUP = 'START TRANSACTION; SET LOCAL plan_cache_mode = force_generic_plan';

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
    await client.query(BEGIN_PICKUP);
    // `manager` must know it is inside a transaction: TypeORM would otherwise wrap a save in a transaction of its own,
    // and its COMMIT would end this one.
    markTransaction(runner, true);
    const result = await work(session, runner.manager);
    await client.query('COMMIT');
    markTransaction(runner, false);
    return result;
  } catch (error) {
    if (runner.isTransactionActive) {
      markTransaction(runner, false);
      await client.query('ROLLBACK').catch(() => undefined);
    }
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * What TypeORM's own `startTransaction` and `commitTransaction` set, without their statements: the flag, and the depth
 * at which a nested `transaction()` takes a savepoint instead of beginning anew.
 */
function markTransaction(runner: QueryRunner, active: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = active;
  state.transactionDepth = active ? 1 : 0;
}
