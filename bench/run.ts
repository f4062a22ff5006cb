import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createApp } from '../apps/api/src/create-app';
import { openDatabase } from '../apps/api/src/database/database-connection';
import { JsonLogger } from '../apps/api/src/logging/json-logger';
import { runJwks, runLint, runPipelineCreation } from './scenarios/endpoints';
import { PickupResult, runPickupScenario } from './scenarios/pickup';
import { runSigningReference } from './scenarios/signing';
import { ApiClient, Fixtures } from './support/api-client';
import { createBenchDatabase } from './support/database';
import { QueryMeter } from './support/query-meter';
import { BenchResults, loadAverage, machineInfo, markdownSummary, sourceInfo } from './support/report';

/** The whole bench must finish well within this; past it, it cleans up and fails. */
const WATCHDOG_MS = 20 * 60 * 1000;
const REPO_DIR = resolve(__dirname, '..');

const settings = {
  jobsPerPickupScenario: positiveInteger('BENCH_JOBS', 300),
  concurrentRunners: 8,
  warmupJobs: 40,
  pipelineJobs: 50,
  pipelineCreations: positiveInteger('BENCH_PIPELINES', 40),
  lintBytes: 100 * 1024,
  lintRequests: positiveInteger('BENCH_LINTS', 30),
  jwksRequests: positiveInteger('BENCH_JWKS', 2000),
  signatures: 200,
};

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let workDir = '';

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL?.trim() || undefined;
  const mode = serverUrl ? 'postgres' : 'embedded';
  const startedAt = new Date();
  const loadAverageBefore = loadAverage();
  const meter = new QueryMeter();
  meter.install();
  workDir = mkdtempSync(join(tmpdir(), 'lanyard-bench-'));

  let databaseUrl = '';
  if (serverUrl) {
    const benchDatabase = await createBenchDatabase(serverUrl);
    cleanups.push({ name: `drop database ${benchDatabase.name}`, run: () => benchDatabase.drop() });
    databaseUrl = benchDatabase.url;
    progress(`created database ${benchDatabase.name}`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const rootToken = `glpat-bench-${randomBytes(16).toString('hex')}`;
  // Only the bench's own settings: nothing from the caller's environment but the server to use.
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LANYARD_EXTERNAL_URL: baseUrl,
    LANYARD_ROOT_TOKEN: rootToken,
    LANYARD_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LANYARD_DATA_DIR: join(workDir, 'data'),
  });
  const database = await openDatabase(config);
  cleanups.push({ name: 'close the database', run: () => database.close() });
  // The request log goes to a file: the JSON formatting and redaction cost stays in the figures, the terminal stays quiet.
  const logStream = createWriteStream(join(workDir, 'server.log'));
  cleanups.push({ name: 'close the server log', run: () => new Promise((done) => logStream.end(done)) });
  const { app } = await createApp(config, database, new JsonLogger((line) => logStream.write(line + '\n')));
  cleanups.push({ name: 'close the application', run: () => app.close() });
  await app.listen(port, '127.0.0.1');
  const [{ version }] = await app.get(DataSource).query('SELECT version() AS version');
  progress(`${mode}: listening on ${baseUrl}, ${version.split(' on ')[0]}, pool ${database.poolSize}`);

  const api = new ApiClient(baseUrl);
  const fixtures = new Fixtures(api, rootToken);
  const owner = await fixtures.user('bench');

  progress(`warm-up: ${settings.warmupJobs} jobs with ID tokens, ${settings.concurrentRunners} runners`);
  await runPickupScenario(api, fixtures, owner, meter, { name: 'warmup', jobs: settings.warmupJobs, runners: settings.concurrentRunners, idTokens: true });

  const pickup: PickupResult[] = [];
  for (const idTokens of [false, true]) {
    for (const runners of [1, settings.concurrentRunners]) {
      const name = `${idTokens ? '2 ID tokens' : 'no ID tokens'}, ${runners} runner${runners > 1 ? 's' : ''}`;
      progress(`pickup: ${name}, ${settings.jobsPerPickupScenario} jobs`);
      pickup.push(await runPickupScenario(api, fixtures, owner, meter, { name, jobs: settings.jobsPerPickupScenario, runners, idTokens }));
    }
  }
  progress(`pipeline creation: ${settings.pipelineCreations} × ${settings.pipelineJobs} jobs`);
  const pipelines = await runPipelineCreation(api, fixtures, owner, meter, settings.pipelineJobs, settings.pipelineCreations);
  progress(`lint: ${settings.lintRequests} × ~${settings.lintBytes / 1024} KB`);
  const lint = await runLint(api, fixtures, owner, meter, settings.lintBytes, settings.lintRequests);
  progress(`JWKS: ${settings.jwksRequests} requests`);
  const jwks = await runJwks(api, meter, settings.jwksRequests);
  progress(`signing reference: ${settings.signatures} signatures`);
  const signing = await runSigningReference(settings.signatures);

  const finishedAt = new Date();
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    mode,
    machine: { ...machineInfo(), loadAverageBefore, loadAverageAfter: loadAverage() },
    node: process.version,
    database: { kind: serverUrl ? 'PostgreSQL server' : 'PGlite (embedded, in-process)', version, poolSize: database.poolSize },
    source: sourceInfo(REPO_DIR),
    settings,
    pickup,
    endpoints: [pipelines, lint, jwks],
    signing,
  };
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}Z-${mode}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(markdownSummary(results));
  progress(`results written to ${relative(process.cwd(), file)}`);
}

let cleaning: Promise<void> | undefined;
let failed = false;

/** Undoes what the bench set up, newest first, once; each step runs even if an earlier one failed. */
function cleanUp(keepLog: boolean): Promise<void> {
  cleaning ??= runCleanups(keepLog);
  return cleaning;
}

async function runCleanups(keepLog: boolean): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) {
    await step.run().catch((error: unknown) => progress(`cleanup "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (!workDir) return;
  rmSync(join(workDir, 'data'), { recursive: true, force: true });
  if (keepLog) progress(`server log kept at ${join(workDir, 'server.log')}`);
  else rmSync(workDir, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

function positiveInteger(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw new Error(`${variable} must be a positive integer`);
  return Number(raw);
}

/** Reports the first failure only: after an interrupt, the requests cut short by the cleanup fail too. */
function fail(error: unknown): Promise<never> {
  if (!failed) process.stderr.write(`\n[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  failed = true;
  return cleanUp(true).then(() => process.exit(1));
}

const watchdog = setTimeout(() => void fail(new Error(`the bench ran longer than ${WATCHDOG_MS / 60000} minutes`)), WATCHDOG_MS);
watchdog.unref();
process.once('SIGINT', () => void fail(new Error('interrupted')));
main()
  .then(() => cleanUp(false))
  .then(() => process.exit(0), fail);
