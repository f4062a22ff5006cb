import { Client } from 'pg';
import { round } from './stats';

/** What the application's SQL cost during one measured window. */
export interface QueryMeterReading {
  /** Round trips to the database (BEGIN and COMMIT included), in total and per unit of work (one pickup, one request). */
  readonly queries: number;
  readonly queriesPerOp: number;
  /** Sum of round-trip times as the driver saw them (time waiting for a pooled connection excluded). */
  readonly dbMsPerOp: number;
  /** The statements that took the most time in total, SQL shortened to its first 90 characters. */
  readonly top: { sql: string; calls: number; totalMs: number }[];
}

interface Tally {
  calls: number;
  totalMs: number;
}

/**
 * Counts and times every query the `pg` driver sends (TypeORM uses the same `pg` module), by wrapping
 * `Client.prototype.query` for the life of the bench. Measurement only: the application code is untouched, and the
 * wrapper costs a `performance.now()` pair per round trip.
 */
export class QueryMeter {
  private tallies = new Map<string, Tally>();
  private active = false;

  install(): void {
    const original = Client.prototype.query as (...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const meter = this;
    (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
      const result = original.apply(this, args);
      if (!meter.active || !isPromise(result)) return result;
      const text = sqlText(args[0]);
      const start = performance.now();
      const record = () => meter.record(text, performance.now() - start);
      result.then(record, record);
      return result;
    };
  }

  start(): void {
    this.tallies = new Map();
    this.active = true;
  }

  stop(operations: number): QueryMeterReading {
    this.active = false;
    const entries = [...this.tallies.entries()];
    const queries = entries.reduce((sum, [, tally]) => sum + tally.calls, 0);
    const totalMs = entries.reduce((sum, [, tally]) => sum + tally.totalMs, 0);
    const top = entries
      .sort((a, b) => b[1].totalMs - a[1].totalMs)
      .slice(0, 6)
      .map(([sql, tally]) => ({ sql, calls: tally.calls, totalMs: round(tally.totalMs) }));
    return { queries, queriesPerOp: round(queries / operations, 1), dbMsPerOp: round(totalMs / operations), top };
  }

  private record(sql: string, ms: number): void {
    const tally = this.tallies.get(sql) ?? { calls: 0, totalMs: 0 };
    tally.calls += 1;
    tally.totalMs += ms;
    this.tallies.set(sql, tally);
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Each statement's label, by its text: the pickup sends the same few string objects, whose hashes V8 keeps. */
const labels = new Map<string, string>();

function sqlText(query: unknown): string {
  const text =
    typeof query === 'string' ? query : typeof query === 'object' && query !== null && 'text' in query ? String(query.text) : '?';
  // Only the head is kept, and once per text: collapsing whitespace on every round trip would bill the measurement's
  // own work to the application (about 0.01 ms a pickup, in its process).
  let label = labels.get(text);
  if (label === undefined) {
    label = text.slice(0, 400).replace(/\s+/g, ' ').trim().slice(0, 90);
    if (labels.size < 10_000) labels.set(text, label);
  }
  return label;
}
