import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The comment that marks a statement to be prepared: `PREPARED_MARK + sql` for a raw query, `.comment(PREPARED)` on
 * a TypeORM query builder. Only the pickup's statements carry it: their text is fixed by the code (a handful of
 * variants), they run on every pickup, and PostgreSQL spent most of their cost planning them (2.8 ms of 3.2 for the
 * claim, measured with pg_stat_statements; see the README's performance section).
 */
export const PREPARED = 'prepared';
export const PREPARED_MARK = `/* ${PREPARED} */ `;

/** A bound on the texts one process prepares, so a marked statement built from input can never grow it for ever. */
const MAX_PREPARED_STATEMENTS = 64;

const digests = new Map<string, string>();

/** The statement's digest: the same text always gets the same one; null once the bound is hit. */
export function preparedStatementDigest(text: string): string | null {
  const known = digests.get(text);
  if (known !== undefined) return known;
  if (digests.size >= MAX_PREPARED_STATEMENTS) return null;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 24);
  digests.set(text, digest);
  return digest;
}

/**
 * The `pg` client the pool makes: a marked statement is sent as a named prepared statement, parsed and planned once
 * per connection (PostgreSQL keeps a generic plan once it is no worse than the custom ones), then only bound and
 * executed. Everything else goes through unchanged. Names carry a prefix of the client's own: on PGlite one session
 * serves every connection made to it (a pool's reconnections, the test suite's replicas), and a name another
 * connection prepared would be "already exists" there; a closed connection's statements stay in that session. Behind
 * a connection pooler, session pooling only (or PgBouncer 1.21+ with `max_prepared_statements`).
 */
export class PreparingClient extends Client {
  readonly statementPrefix = `lanyard_${randomBytes(6).toString('hex')}_`;
}

type AnyMethod = (this: Client, ...args: unknown[]) => unknown;

// Assigned rather than declared: `Client#query` has a dozen overloads (promise or callback). The base method is looked
// up on every call, so a test or bench wrapping `Client.prototype.query` sees every statement.
(PreparingClient.prototype as unknown as { query: AnyMethod }).query = function (this: Client, ...args: unknown[]) {
  const base = Client.prototype.query as unknown as AnyMethod;
  const [text, values, callback] = args;
  const digest = typeof text === 'string' && text.startsWith(PREPARED_MARK) ? preparedStatementDigest(text) : null;
  if (digest === null) return base.apply(this, args);
  const config = { name: (this as PreparingClient).statementPrefix + digest, text, values };
  return callback === undefined ? base.call(this, config) : base.call(this, config, callback);
};
