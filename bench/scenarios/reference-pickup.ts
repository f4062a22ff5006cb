import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { REFERENCE_APPLICATION_NAME } from '../load/reference-pickup-server';
import { CpuMeter, type CpuReading } from '../support/cpu-meter';
import { HttpClient } from '../support/http';
import type { ServerProcess } from '../support/server-process';
import { type Drain, TOKEN_VARIABLES, drainQueue, verifySampledTokens } from './pickup';
import type { Measured } from './references';

const REGISTER = join(__dirname, '..', '..', 'tools', 'register.js');
const REFERENCE_ISSUER = 'https://reference.bench.invalid';

export interface ReferenceDrain {
  readonly drain: Drain;
  readonly verified: number;
  /** Who used the cores during the drain, as for the application (null where /proc is not there). */
  readonly cpu: CpuReading | null;
}

/**
 * The reference pickup server (`load/reference-pickup-server.ts`), started once and drained as often as the
 * application is (`drain`), with the same runners, pool size, warm-up and checks, on scratch tables in the bench
 * database (dropped by `stop`). PostgreSQL only: the embedded database lives inside the application's process.
 */
export class ReferencePickup {
  private stopped = false;

  private constructor(
    private readonly server: ServerProcess,
    private readonly child: ChildProcess,
    private readonly client: HttpClient,
    private readonly runners: readonly string[],
    private readonly sampleEvery: number,
  ) {}

  static async start(
    server: ServerProcess,
    databaseUrl: string | undefined,
    options: { readonly warmupJobs: number; readonly runners: number; readonly sampleEvery: number },
  ): Promise<Measured<ReferencePickup>> {
    if (!databaseUrl) return { value: null, note: 'embedded database: the reference pickup server needs a PostgreSQL server' };
    await server.sql('DROP TABLE IF EXISTS bench_ref_jobs, bench_ref_issuances');
    await server.sql("CREATE TABLE bench_ref_jobs (id bigserial PRIMARY KEY, status text NOT NULL DEFAULT 'pending')");
    await server.sql("CREATE INDEX bench_ref_jobs_pending ON bench_ref_jobs (id) WHERE status = 'pending'");
    await server.sql(
      'CREATE TABLE bench_ref_issuances (jti uuid PRIMARY KEY, job_id bigint NOT NULL, variable text NOT NULL, iat bigint NOT NULL, exp bigint NOT NULL)',
    );
    const child = fork(
      join(__dirname, '..', 'load', 'reference-pickup-server.ts'),
      [databaseUrl, String(server.poolSize), REFERENCE_ISSUER],
      {
        execArgv: ['-r', REGISTER],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve(Number(message)));
      child.once('exit', (code) => reject(new Error(`the reference pickup server exited (${code})`)));
    });
    const runners = Array.from({ length: options.runners }, (_, index) => `reference-runner-${index}`);
    const reference = new ReferencePickup(server, child, new HttpClient(`http://127.0.0.1:${port}`, 64), runners, options.sampleEvery);
    await seed(server, options.warmupJobs);
    await drainQueue(reference.client, runners, options.warmupJobs, options.warmupJobs);
    return { value: reference };
  }

  /** Seeds `jobs` jobs and drains them, metered and checked, then empties the tables for the next drain. */
  async drain(jobs: number): Promise<ReferenceDrain> {
    await this.server.sql('DELETE FROM bench_ref_jobs');
    await this.server.sql('DELETE FROM bench_ref_issuances');
    await seed(this.server, jobs);
    const cpu = CpuMeter.available() ? new CpuMeter(this.child.pid!, await referenceBackendPids(this.server)) : null;
    cpu?.start();
    const drain = await drainQueue(this.client, this.runners, jobs, this.sampleEvery);
    const cpuReading = cpu?.stop() ?? null;
    await checkReferenceDrain(this.server, drain, jobs);
    return { drain, verified: await verifySampledTokens(this.client, REFERENCE_ISSUER, drain), cpu: cpuReading };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.client.close();
    this.child.kill();
    await this.server.sql('DROP TABLE IF EXISTS bench_ref_jobs, bench_ref_issuances');
  }
}

/** The reference's pool connections (opened by the warm-up). */
async function referenceBackendPids(server: ServerProcess): Promise<number[]> {
  const rows = await server.sql<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
    REFERENCE_APPLICATION_NAME,
  ]);
  return rows.map((row) => Number(row.pid));
}

/** `jobs` pending jobs, the table vacuumed of the rows an earlier drain deleted (as the application's queue is). */
async function seed(server: ServerProcess, jobs: number): Promise<void> {
  await server.sql('INSERT INTO bench_ref_jobs (status) SELECT $1 FROM generate_series(1, $2)', ['pending', jobs]);
  await server.sql('VACUUM ANALYZE bench_ref_jobs, bench_ref_issuances');
}

/** The reference must do the work it stands for: every job handed out once, running, with one audit row per token. */
async function checkReferenceDrain(server: ServerProcess, drain: Drain, jobs: number): Promise<void> {
  const [counts] = await server.sql<{ running: string; issuances: string }>(
    `SELECT (SELECT count(*) FROM bench_ref_jobs WHERE status = 'running') AS running, (SELECT count(*) FROM bench_ref_issuances) AS issuances`,
  );
  const distinct = new Set(drain.handedOut).size;
  if (
    distinct !== jobs ||
    drain.jobs !== jobs ||
    Number(counts.running) !== jobs ||
    Number(counts.issuances) !== jobs * TOKEN_VARIABLES.length
  ) {
    throw new Error(
      `reference pickup: ${drain.jobs} answers, ${distinct} distinct jobs, ${counts.running} running, ${counts.issuances} issuances for ${jobs} jobs`,
    );
  }
}
