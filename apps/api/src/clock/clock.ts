/** The app's only source of the current time, so tests can freeze and advance it (timers and log lines stay on the system clock). */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

// eslint-disable-next-line no-restricted-syntax -- the one place that reads the system clock
export const systemClock: Clock = { now: () => new Date() };

/** The clock's calendar day in UTC (`YYYY-MM-DD`), what date-only expiries (tokens, memberships) are compared with. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
