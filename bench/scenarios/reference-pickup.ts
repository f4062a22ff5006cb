import { fork } from 'node:child_process';
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
 * The reference pickup server (`load/reference-pickup-server.ts`) drains as many jobs as the application did, with
 * the same runners, pool size, warm-up and checks, on scratch tables in the bench database (dropped afterwards).
 * PostgreSQL only: the embedded database lives inside the application's process.
 */
export async function runReferencePickup(
  server: ServerProcess,
  databaseUrl: string | undefined,
  options: { readonly jobs: number; readonly warmupJobs: number; readonly runners: number; readonly sampleEvery: number },
): Promise<Measured<ReferenceDrain>> {
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
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve(Number(message)));
      child.once('exit', (code) => reject(new Error(`the reference pickup server exited (${code})`)));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const client = new HttpClient(baseUrl, 64);
    const runners = Array.from({ length: options.runners }, (_, index) => `reference-runner-${index}`);
    try {
      await seed(server, options.warmupJobs);
      await drainQueue(client, runners, options.warmupJobs, options.warmupJobs);
      await server.sql('DELETE FROM bench_ref_jobs');
      await server.sql('DELETE FROM bench_ref_issuances');
      await seed(server, options.jobs);
      const cpu = CpuMeter.available() ? new CpuMeter(child.pid!, await referenceBackendPids(server)) : null;
      cpu?.start();
      const drain = await drainQueue(client, runners, options.jobs, options.sampleEvery);
      const cpuReading = cpu?.stop() ?? null;
      await checkReferenceDrain(server, drain, options.jobs);
      return { value: { drain, verified: await verifySampledTokens(client, REFERENCE_ISSUER, drain), cpu: cpuReading } };
    } finally {
      client.close();
    }
  } finally {
    child.kill();
    await server.sql('DROP TABLE IF EXISTS bench_ref_jobs, bench_ref_issuances');
  }
}

/** The reference's pool connections (opened by the warm-up). */
async function referenceBackendPids(server: ServerProcess): Promise<number[]> {
  const rows = await server.sql<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
    REFERENCE_APPLICATION_NAME,
  ]);
  return rows.map((row) => Number(row.pid));
}

async function seed(server: ServerProcess, jobs: number): Promise<void> {
  await server.sql('INSERT INTO bench_ref_jobs (status) SELECT $1 FROM generate_series(1, $2)', ['pending', jobs]);
  await server.sql('ANALYZE bench_ref_jobs');
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
