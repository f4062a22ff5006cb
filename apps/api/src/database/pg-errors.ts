import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE when a unique index refuses a row (a race two writers lost to each other). */
export const PG_UNIQUE_VIOLATION = '23505';

/** PostgreSQL's SQLSTATE for the transaction it aborted to break a lock cycle; the other one went on. */
export const PG_DEADLOCK_DETECTED = '40P01';

/** PostgreSQL's SQLSTATE for a transaction it could not serialize with a concurrent one; tried again, it may pass. */
export const PG_SERIALIZATION_FAILURE = '40001';

/**
 * SQLSTATEs meaning the request carried a value the column cannot hold: too long, out of range, malformed, a bad
 * date, invalid UTF-8, a missing or unchecked value, too complex a statement. The client's fault, hence a 400.
 */
export const PG_INPUT_ERRORS: ReadonlySet<string> = new Set([
  '22001',
  '22003',
  '22007',
  '22008',
  '22P02',
  '22021',
  '23502',
  '23514',
  '54000',
]);

/** The SQLSTATE of a failed query (TypeORM keeps the driver's error), or undefined for anything else. */
export function sqlStateOf(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string } | undefined)?.code : undefined;
}
