import { AddressInfo, createServer } from 'node:net';
import type { CpuReading } from './cpu-meter';
import type { ServerProcess } from './server-process';
import { round } from './stats';

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** The PostgreSQL backends of the server's pool (all sessions on its database: the bench's SQL goes through them too). */
export async function serverBackendPids(server: ServerProcess): Promise<number[]> {
  const rows = await server.sql<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  return rows.map((row) => Number(row.pid));
}

/** Who used the cores during the drain, per job handed out; and how busy the event loop was. */
export function cpuPerPickupNote(reading: CpuReading, jobs: number, wallMs: number, embedded: boolean): string {
  const perJob = (ms: number) => round(ms / jobs, 2);
  const parts = [
    `server main thread ${perJob(reading.serverMainMs)} (busy ${Math.round((100 * reading.serverMainMs) / wallMs)} % of the drain)`,
    `server other threads (signing, GC, JIT) ${perJob(reading.serverOtherThreadsMs)}`,
    embedded ? 'PostgreSQL: inside the server (PGlite)' : `PostgreSQL backends ${perJob(reading.postgresMs)}`,
    `runners (bench process) ${perJob(reading.runnersMs)}`,
  ];
  return `pickup CPU ms per job: ${parts.join('; ')}`;
}

export function positiveInteger(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9]\d{0,7}$/.test(raw)) throw new Error(`${variable} must be a positive integer`);
  return Number(raw);
}
