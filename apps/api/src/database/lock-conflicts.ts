import { Logger } from '@nestjs/common';
import { DatabaseError } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { PG_DEADLOCK_DETECTED, PG_SERIALIZATION_FAILURE, sqlStateOf } from './pg-errors';

/*
 * Lock order (issue 19). Transactions that change jobs take rows in this order:
 *   1. queue rows (ci_pending_builds), then the jobs runners hold (pending, running), by id: the pickup (its claim
 *      deletes the queue row, its assignment updates the job), PUT /jobs/:id (its job, FOR UPDATE), job and pipeline
 *      cancel and pipeline delete (queue rows, then pending and running jobs by id), the stuck-jobs scheduler, a
 *      signing key's revocation (the running jobs it fails);
 *   2. the pipeline (FOR UPDATE, `PipelineProgressService.lockPipeline`; the pickup's conditional status update),
 *      several in id order;
 *   3. the project's resource groups, by id (`lockResourceGroups`), then the jobs no runner holds (created, manual,
 *      scheduled, skipped, waiting for a group, finished), which retry, play, cancel, delete, the delayed-jobs
 *      scheduler and progression change under the pipeline's lock, and the queue rows progression inserts.
 * The pickup never locks the pipeline first: runners would wait for each other on a big pipeline. What the order cannot
 * rule out (a job queued between two statements of a transaction that then meets its pickup; several running jobs
 * updated by one statement in the order of its plan) is retried below.
 */

/** Attempts at a transaction PostgreSQL aborted to break a lock cycle (or could not serialize) before the error stands. */
export const LOCK_CONFLICT_ATTEMPTS = 4;

/** The longest pause before trying again; each pause is random, so two transactions that collided rarely collide again. */
const MAX_PAUSE_MS = 50;

const logger = new Logger('LockConflicts');

/** Whether PostgreSQL aborted the transaction for another one's sake: through TypeORM, or from the pickup's raw client. */
export function isLockConflict(error: unknown): boolean {
  const state = sqlStateOf(error) ?? (error instanceof DatabaseError ? error.code : undefined);
  return state === PG_DEADLOCK_DETECTED || state === PG_SERIALIZATION_FAILURE;
}

/**
 * Runs `transaction` (the whole of one, from BEGIN) again when PostgreSQL aborted it for a lock cycle or a
 * serialization failure, up to `LOCK_CONFLICT_ATTEMPTS` times with a random pause: never a 500 for a lock cycle
 * the order above leaves possible.
 */
export async function retryingLockConflicts<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= LOCK_CONFLICT_ATTEMPTS || !isLockConflict(error)) throw error;
      // Rare by design: an operator seeing many has found a transaction that takes rows out of order.
      logger.warn({ msg: 'transaction retried after a lock conflict', attempt, error: (error as Error).message });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_PAUSE_MS * attempt));
    }
  }
}

/** `db.transaction(work)`, tried again as `retryingLockConflicts` does. */
export function retriedTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return retryingLockConflicts(() => db.transaction(work));
}
