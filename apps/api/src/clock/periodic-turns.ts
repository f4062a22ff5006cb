/**
 * Runs `turn` every `intervalMs` without keeping the process alive, and answers how to stop. A failed turn (the
 * database away for a moment) is left to the next one: each turn reads afresh what is due.
 */
export function startPeriodicTurns(intervalMs: number, turn: () => Promise<unknown>): () => void {
  const timer = setInterval(() => void turn().catch(() => undefined), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
