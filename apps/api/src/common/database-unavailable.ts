import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/** Network-level failures and PostgreSQL's "connection exception" / "operator intervention" classes. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Cannot execute operation because connection is not yet established/i,
  // pg's answer to a statement sent on a client whose connection already failed (the server was killed).
  /Client has encountered a connection error and is not queryable/i,
];

/**
 * Whether an error means "the database cannot be reached now" (answered 503 + Retry-After so runners back off and
 * retry) rather than a bug. TypeORM wraps driver errors, so the driver's error is looked at too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM marks a query runner released when its connection emits an error (PostgreSQL ended the session between two
  // statements of a transaction): the transaction's next statement then throws one of these instead of a driver error.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  for (const candidate of [error, (error as { driverError?: unknown } | null)?.driverError]) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const code = String((candidate as { code?: unknown }).code ?? '');
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
    const message = (candidate as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  }
  return false;
}
