import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (user + system) spent during a window by each party of the pickup: the server's main thread (the event
 * loop, which runs every request's JavaScript), its other threads (signing on libuv's pool, V8's garbage collector
 * and compiler), the PostgreSQL backends serving its pool, and the bench process that plays the runners. Read from
 * `/proc` (Linux); `null` elsewhere. A CPU profile is wall-clock: on 2 cores it charges a syscall or a thread-pool
 * hand-off with the time the thread waited for a core; these figures say who actually used the cores.
 */
export interface CpuReading {
  readonly serverMainMs: number;
  readonly serverOtherThreadsMs: number;
  readonly postgresMs: number;
  readonly runnersMs: number;
}

interface Snapshot {
  readonly threads: Map<number, number>;
  readonly backends: number;
  readonly runners: number;
}

export class CpuMeter {
  private before: Snapshot | null = null;
  private readonly tickMs: number;

  constructor(
    private readonly serverPid: number,
    /** The PostgreSQL backends of the server's pool; none on the embedded database, which runs inside the server. */
    private readonly backendPids: readonly number[],
  ) {
    this.tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  }

  static available(): boolean {
    try {
      readFileSync('/proc/self/stat');
      return true;
    } catch {
      return false;
    }
  }

  start(): void {
    this.before = this.snapshot();
  }

  stop(): CpuReading {
    const after = this.snapshot();
    const before = this.before!;
    let serverMainMs = 0;
    let serverOtherThreadsMs = 0;
    for (const [tid, ticks] of after.threads) {
      const spent = (ticks - (before.threads.get(tid) ?? 0)) * this.tickMs;
      if (tid === this.serverPid) serverMainMs += spent;
      else serverOtherThreadsMs += spent;
    }
    return {
      serverMainMs,
      serverOtherThreadsMs,
      postgresMs: (after.backends - before.backends) * this.tickMs,
      runnersMs: (after.runners - before.runners) * this.tickMs,
    };
  }

  private snapshot(): Snapshot {
    const threads = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${this.serverPid}/task`))
      threads.set(Number(tid), ticksOf(`/proc/${this.serverPid}/task/${tid}/stat`));
    const backends = this.backendPids.reduce((sum, pid) => sum + ticksOf(`/proc/${pid}/stat`), 0);
    return { threads, backends, runners: ticksOf(`/proc/${process.pid}/stat`) };
  }
}

/** utime + stime of `/proc/…/stat` (fields 14 and 15; the command name before them may hold spaces). 0 if gone. */
function ticksOf(path: string): number {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
