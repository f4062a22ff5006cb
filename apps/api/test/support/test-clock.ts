import type { Clock } from '../../src/clock/clock';

/** A clock that stands still until the test moves it: time-dependent rules are tested without sleeping. */
export class TestClock implements Clock {
  private current: number;

  /** Starts at the current second (whole, so JWT `iat` equals it exactly), or at `start`. */
  constructor(start: Date = new Date(Math.floor(Date.now() / 1000) * 1000)) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}
