import { Client } from 'pg';

/**
 * Counts the round trips the `pg` driver makes (TypeORM uses the same module; BEGIN and COMMIT included) by wrapping
 * `Client.prototype.query` for the rest of the test file, like the bench's `QueryMeter` (which `apps` may not import).
 */
export class QueryCounter {
  private count = 0;
  private preparedCount = 0;
  private counting = false;

  install(): void {
    const original = Client.prototype.query as (...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const counter = this;
    (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
      if (counter.counting) {
        counter.count += 1;
        // A named statement: parsed and planned once per connection (`PreparingClient`).
        if (typeof args[0] === 'object' && args[0] !== null && 'name' in args[0]) counter.preparedCount += 1;
      }
      return original.apply(this, args);
    };
  }

  start(): void {
    this.count = 0;
    this.preparedCount = 0;
    this.counting = true;
  }

  stop(): number {
    this.counting = false;
    return this.count;
  }

  /** Of the round trips counted by the last `start`/`stop`, those sent as named prepared statements. */
  get prepared(): number {
    return this.preparedCount;
  }
}
