import type { Runner } from './runner.entity';

/**
 * How long a poll trusts an earlier authentication of the same token. It decides only whether the runner is answered
 * 403 or asked into the claim: the claim itself requires the runner's row to be active and hold the token's digest, so
 * a runner paused, deleted or given a new token anywhere gets no job at once, and 403 within this time.
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
  /** Bumped by every `forget`: a session read before it may hold what was forgotten, and is not kept. */
  private generation = 0;

  /** Taken before a runner is read, handed to `remember` with what was read. */
  currentGeneration(): number {
    return this.generation;
  }

  /** The session still trusted at `now`, if any; an expired one is dropped. */
  current(digest: string, now: number): RunnerSession | null {
    const session = this.sessions.get(digest);
    if (session && now < session.until) return session;
    this.sessions.delete(digest);
    return null;
  }

  /** Keeps `session` unless a runner was forgotten since `readAt` (a pause racing the poll that read it). */
  remember(digest: string, session: RunnerSession, readAt: number): void {
    this.sessions.delete(digest);
    if (readAt !== this.generation) return;
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(digest, session);
  }

  /** Changes may have been missed (the notifications were lost): no session read before is kept. */
  forgetAll(): void {
    this.generation += 1;
    this.sessions.clear();
  }

  /** A runner changed through the API (paused, new maximum timeout, …): its next poll reads it again. */
  forget(runnerId: number): void {
    this.generation += 1;
    for (const [digest, session] of this.sessions) if (session.runner.id === runnerId) this.sessions.delete(digest);
  }
}
