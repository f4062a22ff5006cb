import type { Runner } from './runner.entity';
import { RunnerSessions } from './runner-sessions';

const runner = (id: number) => ({ id }) as Runner;
const session = (id: number, until = 10_000) => ({ runner: runner(id), until, contactDueAt: 0 });

describe(RunnerSessions.name, () => {
  it('keeps a session until it expires', () => {
    const sessions = new RunnerSessions();
    sessions.remember('d1', session(1), sessions.currentGeneration());
    expect(sessions.current('d1', 9_999)?.runner.id).toBe(1);
    expect(sessions.current('d1', 10_000)).toBeNull();
  });

  it('forgets every session of a runner changed through the API', () => {
    const sessions = new RunnerSessions();
    sessions.remember('d1', session(1), sessions.currentGeneration());
    sessions.remember('d2', session(2), sessions.currentGeneration());
    sessions.forget(1);
    expect(sessions.current('d1', 0)).toBeNull();
    expect(sessions.current('d2', 0)?.runner.id).toBe(2);
  });

  it('does not keep a session read before a runner was forgotten: a pause racing a poll (issue 14, item 4)', () => {
    const sessions = new RunnerSessions();
    const readAt = sessions.currentGeneration(); // the poll reads the runner, still active
    sessions.forget(1); // the pause commits and forgets it
    sessions.remember('d1', session(1), readAt); // the poll, late, would put the stale runner back
    expect(sessions.current('d1', 0)).toBeNull();
  });

  it('forgets every session, and any read before, when changes may have been missed (notifications lost)', () => {
    const sessions = new RunnerSessions();
    sessions.remember('d1', session(1), sessions.currentGeneration());
    const readAt = sessions.currentGeneration();
    sessions.forgetAll();
    sessions.remember('d2', session(2), readAt);
    expect(sessions.current('d1', 0)).toBeNull();
    expect(sessions.current('d2', 0)).toBeNull();
  });
});
