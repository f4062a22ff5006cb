import type { Runner } from './runner.entity';

/**
 * How long a poll trusts an earlier authentication of the same token. A runner paused or deleted directly in the
 * database stops getting jobs within this time; paused through the API (`PUT /runners/:id`), at once on this replica.
 */
export const RUNNER_SESSION_TTL_MS = 10_000;
/** GitLab's `contacted_at` granularity: written at most once a minute, not on every poll. */
export const CONTACT_INTERVAL_MS = 60_000;
/** Bounds the memory a flood of distinct valid tokens could take; only authenticated runners are ever kept. */
const MAX_SESSIONS = 10_000;

export interface RunnerSession {
  readonly runner: Runner;
  /** Until then (epoch ms) the runner is not read again. */
  readonly until: number;
  /** From then (epoch ms) its next poll writes its contact time. */
  readonly contactDueAt: number;
}

/**
 * Recently authenticated runners, keyed by their token's digest (never the token). Unknown or paused tokens are
 * never kept, so a refused poll always asks the database again.
 */
export class RunnerSessions {
  private readonly sessions = new Map<string, RunnerSession>();

  /** The session still trusted at `now`, if any; an expired one is dropped. */
  current(digest: string, now: number): RunnerSession | null {
    const session = this.sessions.get(digest);
    if (session && now < session.until) return session;
    this.sessions.delete(digest);
    return null;
  }

  remember(digest: string, session: RunnerSession): void {
    this.sessions.delete(digest);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(digest, session);
  }

  /** A runner changed through the API (paused, new maximum timeout, …): its next poll reads it again. */
  forget(runnerId: number): void {
    for (const [digest, session] of this.sessions) if (session.runner.id === runnerId) this.sessions.delete(digest);
  }
}
