import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, exportPKCS8, importPKCS8, calculateJwkThumbprint, exportJWK } from 'jose';
import { signIdToken } from '@lanyard/id-tokens';
import type { ServerProcess } from '../support/server-process';

/** A figure that could not be measured on this machine is null, with the reason beside it. */
export type Measured<T> = { readonly value: T; readonly note?: undefined } | { readonly value: null; readonly note: string };

/** `openssl speed -multi <cores> -seconds 3 rsa2048`: RSA-2048 signatures per second on every core. */
export function opensslSignPerSecond(): Measured<number> {
  const run = spawnSync('openssl', ['speed', '-multi', String(availableParallelism()), '-seconds', '3', 'rsa2048'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.error || run.status !== 0)
    return { value: null, note: `openssl speed did not run: ${run.error?.message ?? run.stderr.trim().slice(0, 200)}` };
  const match = /^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+[\d.]+\s*$/m.exec(run.stdout);
  return match ? { value: Math.round(Number(match[1])) } : { value: null, note: 'openssl speed printed no rsa 2048 sign/s line' };
}

/**
 * The application's signing path alone (no HTTP, no database): `signIdToken` with a key imported as the server
 * imports it (PKCS#8 → `importPKCS8`), 64 tokens in flight for `seconds`, on this process's thread pool (sized by
 * tools/register.js like the server's).
 */
export async function mintTokensPerSecond(seconds: number): Promise<number> {
  const { privateKey: generated, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const privateKey = await importPKCS8(await exportPKCS8(generated), 'RS256');
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
  const claims = (index: number) =>
    ({
      iss: 'http://127.0.0.1',
      sub: `project_path:bench/mint:ref_type:branch:ref:main`,
      aud: 'https://vault.example.com',
      job_id: String(index),
      iat: 1,
      nbf: 1,
      exp: 2,
    }) as never;
  let signed = 0;
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < deadline) await signIdToken(claims(signed++), { privateKey, kid });
    }),
  );
  return Math.round(signed / ((performance.now() - start) / 1000));
}

/**
 * PostgreSQL alone, the lean pickup transaction: claim the oldest pending row with SKIP LOCKED, insert 2 audit rows,
 * commit; pgbench, 16 clients, prepared statements, on scratch tables in the bench database (dropped afterwards).
 */
export async function pgbenchCeiling(server: ServerProcess, databaseUrl: string | undefined, seconds: number): Promise<Measured<number>> {
  if (!databaseUrl) return { value: null, note: 'embedded database: pgbench needs a PostgreSQL server' };
  const which = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0)
    return { value: null, note: 'pgbench is not installed (Debian: postgresql-client / postgresql-contrib)' };
  const rows = 6000 * seconds + 50_000;
  await server.sql('DROP TABLE IF EXISTS bench_pg_queue, bench_pg_audit');
  await server.sql("CREATE TABLE bench_pg_queue (id bigserial PRIMARY KEY, status text NOT NULL DEFAULT 'pending', runner_id int)");
  await server.sql("CREATE INDEX bench_pg_queue_pending ON bench_pg_queue (id) WHERE status = 'pending'");
  await server.sql(
    'CREATE TABLE bench_pg_audit (id bigserial PRIMARY KEY, job_id bigint NOT NULL, variable text NOT NULL, issued_at timestamptz NOT NULL DEFAULT now())',
  );
  await server.sql('INSERT INTO bench_pg_queue (runner_id) SELECT NULL FROM generate_series(1, $1)', [rows]);
  await server.sql('ANALYZE bench_pg_queue');
  const dir = mkdtempSync(join(tmpdir(), 'lanyard-pgbench-'));
  const script = join(dir, 'pickup.sql');
  writeFileSync(
    script,
    [
      'BEGIN;',
      "UPDATE bench_pg_queue SET status = 'running', runner_id = :client_id WHERE id = (SELECT id FROM bench_pg_queue WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id AS job_id \\gset",
      "INSERT INTO bench_pg_audit (job_id, variable) VALUES (:job_id, 'VAULT_ID_TOKEN'), (:job_id, 'AWS_ID_TOKEN');",
      'COMMIT;',
      '',
    ].join('\n'),
  );
  try {
    const run = spawnSync(
      'pgbench',
      ['-n', '-c', '16', '-j', String(availableParallelism()), '-T', String(seconds), '-M', 'prepared', '-f', script, databaseUrl],
      {
        encoding: 'utf8',
        timeout: (seconds + 60) * 1000,
      },
    );
    const match = /^tps = ([\d.]+)/m.exec(run.stdout);
    if (run.status !== 0 || !match) return { value: null, note: `pgbench failed: ${(run.stderr || run.stdout).trim().slice(-300)}` };
    return { value: Math.round(Number(match[1])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.sql('DROP TABLE IF EXISTS bench_pg_queue, bench_pg_audit');
  }
}
