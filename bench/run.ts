import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pickupOnly } from './pickup-only';
import { runGitClone } from './scenarios/git-clone';
import { runJwks } from './scenarios/jwks';
import { runLint } from './scenarios/lint';
import { runMemory } from './scenarios/memory';
import { runPipelineCreation } from './scenarios/pipeline-creation';
import { TOKEN_VARIABLES } from './scenarios/pickup';
import { jobsPerSecond as drainRate, pickupRoundNotes, runPickupRounds } from './scenarios/pickup-rounds';
import { runQueueScale } from './scenarios/queue-scale';
import { mintTokensPerSecond, opensslSignPerSecond, pgbenchCeiling } from './scenarios/references';
import { ApiClient, Fixtures } from './support/api-client';
import { HttpClient } from './support/http';
import {
  BenchResults,
  commitOf,
  GitCloneOnlyResults,
  gitCloneFigures,
  gitCloneOnlySummary,
  loadAverage,
  machineBlock,
  markdownSummary,
} from './support/report';
import { positiveInteger } from './support/run-support';
import { startBenchServer } from './support/server-process';
import { round, summarize } from './support/stats';

const pickupRoundSettings = () => ({
  runners: settings.runners,
  jobs: settings.pickupJobs,
  warmupJobs: settings.warmupJobs,
  sampleEvery: settings.tokenSampleEvery,
  rounds: settings.pickupRounds,
});

/** The whole bench must finish well within this; past it, it cleans up and fails. */
const WATCHDOG_MS = 60 * 60 * 1000;
const REPO_DIR = resolve(__dirname, '..');
const embedded = !process.env.DATABASE_URL?.trim();

const settings = {
  runners: 16,
  pickupJobs: positiveInteger('BENCH_JOBS', 3000),
  pickupRounds: positiveInteger('BENCH_PICKUP_ROUNDS', 3),
  warmupJobs: 200,
  tokenSampleEvery: 20,
  memoryPickups: positiveInteger('BENCH_MEMORY_PICKUPS', 20_000),
  scaleFinished: positiveInteger('BENCH_SCALE_FINISHED', embedded ? 100_000 : 1_000_000),
  scalePending: positiveInteger('BENCH_SCALE_PENDING', embedded ? 10_000 : 100_000),
  scaleSamples: 100,
  lintJobs: 1000,
  lintRequests: 10,
  creationComponents: 333,
  creationRequests: 5,
  loadSeconds: positiveInteger('BENCH_SECONDS', 10),
  mintSeconds: 3,
  git: {
    commits: 1000,
    filesPerCommit: 5,
    runs: positiveInteger('BENCH_GIT_RUNS', 5),
    pushes: positiveInteger('BENCH_GIT_PUSHES', 5),
  },
};
/**
 * `BENCH_ONLY=git-clone` runs that scenario alone (no references), into a results file of its own; `BENCH_ONLY=pickup`
 * the pickup drain and the reference server's, printed only.
 */
const only = process.env.BENCH_ONLY?.trim() || null;
if (only !== null && only !== 'git-clone' && only !== 'pickup') throw new Error(`BENCH_ONLY must be git-clone or pickup, not ${only}`);

const progress = (message: string) => process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let workDir = '';

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAverageBefore = loadAverage();
  const notes: string[] = ['The machine may be shared: compare the load averages before and after; figures taken under load are lower.'];
  workDir = mkdtempSync(join(tmpdir(), 'lanyard-bench-'));
  if (only === 'git-clone') return gitCloneOnly(startedAt, loadAverageBefore, notes);
  if (only === 'pickup') {
    const { server, databaseUrl, baseUrl, rootToken } = await startBenchServer(workDir, embedded, (step) => cleanups.push(step), progress);
    return pickupOnly({ server, databaseUrl, baseUrl, rootToken }, pickupRoundSettings(), (step) => cleanups.push(step), progress);
  }

  // References first, while nothing else of ours runs. Each is taken twice, interleaved, and the better run kept:
  // on a shared machine a neighbour's burst during one 3-second window would otherwise skew every ratio.
  const openssl: ReturnType<typeof opensslSignPerSecond>[] = [];
  const mints: number[] = [];
  for (let round = 1; round <= 2; round++) {
    progress(`openssl speed -multi ${availableParallelism()} -seconds 3 rsa2048 (${round}/2)`);
    openssl.push(opensslSignPerSecond());
    progress(`mint: signIdToken, 64 in flight, ${settings.mintSeconds} s (${round}/2)`);
    mints.push(await mintTokensPerSecond(settings.mintSeconds));
  }
  const opensslValues = openssl.flatMap((run) => (run.value === null ? [] : [run.value]));
  const opensslSign = opensslValues.length ? Math.max(...opensslValues) : null;
  if (opensslSign === null) notes.push(openssl[0].note!);
  const mintPerSecond = Math.max(...mints);
  notes.push(`references, best of 2: openssl ${openssl.map((run) => run.value).join(' / ')} sign/s, mint ${mints.join(' / ')} tokens/s`);

  const { server, databaseUrl, baseUrl, rootToken } = await startBenchServer(workDir, embedded, (step) => cleanups.push(step), progress);

  progress(`pgbench ceiling: lean pickup transaction, 16 clients, ${settings.loadSeconds} s`);
  const ceiling = await pgbenchCeiling(server, databaseUrl || undefined, settings.loadSeconds);
  if (ceiling.note) notes.push(ceiling.note);

  const api = new ApiClient(baseUrl);
  const client = new HttpClient(baseUrl, 64);
  const fixtures = new Fixtures(api, rootToken);
  const owner = await fixtures.user('bench');

  const pickup = await runPickupRounds(
    { server, client, fixtures, owner, baseUrl, databaseUrl },
    pickupRoundSettings(),
    (step) => cleanups.push(step),
    progress,
  );
  notes.push(...pickupRoundNotes(pickup, embedded));
  const { drain, sql } = pickup.median;
  const reference = pickup.median.reference;
  const referenceLatency = reference && summarize(reference.drain.latenciesMs);
  const referenceJobsPerSecond = reference && drainRate(reference.drain);

  progress(`JWKS: 32 connections from another process, ${settings.loadSeconds} s, then a bare Node server the same way`);
  const jwks = await runJwks(client, baseUrl, settings.loadSeconds);

  progress(`lint: ${settings.lintJobs} jobs, ${settings.lintRequests} requests`);
  const lint = await runLint(api, fixtures, owner, settings.lintJobs, settings.lintRequests);

  progress(
    `pipeline creation: ${settings.creationComponents * 3 + 1} jobs with include, rules, needs, extends; ${settings.creationRequests} requests`,
  );
  const creation = await runPipelineCreation(api, fixtures, owner, settings.creationComponents, settings.creationRequests);

  progress(`memory: ${settings.memoryPickups} pickups`);
  const memory = await runMemory(client, server, fixtures, owner, settings.runners, settings.memoryPickups);

  progress(`queue scale: small (${settings.scaleSamples} idle polls, ${settings.scaleSamples} pickups)`);
  const scale = await runQueueScale(
    client,
    server,
    fixtures,
    owner,
    { finished: settings.scaleFinished, pending: settings.scalePending, samples: settings.scaleSamples },
    progress,
  );
  if (embedded)
    notes.push(
      `embedded: queue scale with ${scale.finishedRows} finished and ${scale.foreignPendingRows} foreign pending jobs (PostgreSQL: 1,000,000 and 100,000)`,
    );
  client.close();

  progress(`git clone: ${settings.git.commits} commits, ${settings.git.runs} runs; push to pipeline: ${settings.git.pushes} pushes`);
  const gitClone = await runGitClone(api, fixtures, owner, repositoriesDir(), workDir, settings.git, progress);
  notes.push(...gitClone.notes);

  const latency = summarize(drain.latenciesMs);
  const jobsPerSecond = drainRate(drain);
  const tokensPerSecond = jobsPerSecond * TOKEN_VARIABLES.length;
  const ratio = (value: number, reference: number | null, digits = 3) => (reference ? round(value / reference, digits) : null);
  const results: BenchResults = {
    machine: machineBlock(startedAt, loadAverageBefore, notes),
    commit: commitOf(REPO_DIR),
    database: { kind: embedded ? 'embedded' : 'postgres', version: server.version, pool_size: server.poolSize },
    openssl_sign_per_s: opensslSign,
    pg_ceiling_tps: ceiling.value,
    mint: { tokens_per_s: mintPerSecond, ratio: ratio(mintPerSecond, opensslSign, 2) },
    pickup: {
      runners: settings.runners,
      jobs: drain.jobs,
      jobs_per_s: round(jobsPerSecond, 1),
      tokens_per_s: Math.round(tokensPerSecond),
      p50_ms: round(latency.p50, 1),
      p99_ms: round(latency.p99, 1),
      ratio: ratio(tokensPerSecond, opensslSign),
      sql_per_pickup: sql.queriesPerOp,
      reference_ratio: ratio(jobsPerSecond, referenceJobsPerSecond, 2),
      reference_p99_ratio: ratio(latency.p99, referenceLatency?.p99 ?? null, 2),
    },
    reference_pickup:
      referenceLatency && referenceJobsPerSecond
        ? { jobs_per_s: round(referenceJobsPerSecond, 1), p50_ms: round(referenceLatency.p50, 1), p99_ms: round(referenceLatency.p99, 1) }
        : null,
    queue_scale: {
      idle_poll_ms_small: round(scale.idlePollMs.small, 2),
      idle_poll_ms_large: round(scale.idlePollMs.large, 2),
      pickup_ms_small: round(scale.pickupMs.small, 2),
      pickup_ms_large: round(scale.pickupMs.large, 2),
    },
    jwks: {
      req_per_s: jwks.app.requestsPerSecond,
      bare_node_req_per_s: jwks.bareNode.requestsPerSecond,
      ratio: round(jwks.app.requestsPerSecond / jwks.bareNode.requestsPerSecond, 2),
    },
    lint: { jobs: lint.jobs, ms: round(lint.p50Ms, 1) },
    pipeline_creation: {
      jobs: creation.fileJobs,
      created_jobs: creation.createdJobs,
      bytes: creation.bytes,
      ms: round(creation.ms, 1),
      parse_ms: round(creation.parseMs, 1),
      ratio: round(creation.ms / creation.parseMs, 2),
    },
    memory: { pickups: memory.pickups, rss_growth_pct: memory.rssGrowthPct },
    git_clone: gitCloneFigures(gitClone),
  };
  progress(`pickup SQL, costliest statements: ${JSON.stringify(sql.top)}`);
  progress(`memory: RSS ${memory.rssBeforeMb} → ${memory.rssAfterMb} MB; queue scale seed took ${scale.seedSeconds} s`);

  const latest = join(__dirname, 'results.json');
  writeFileSync(latest, JSON.stringify(results, null, 2) + '\n');
  const dated = datedResultsFile(startedAt, results.database.kind);
  copyFileSync(latest, dated);
  process.stdout.write(markdownSummary(results));
  progress(`results written to ${relative(process.cwd(), latest)} and ${relative(process.cwd(), dated)}`);
}

/** Where the server keeps its repositories: the default under its data directory (the bench sets no other). */
function repositoriesDir(): string {
  return join(workDir, 'data', 'repositories');
}

async function gitCloneOnly(startedAt: Date, loadAverageBefore: number[], notes: string[]): Promise<void> {
  const { server, baseUrl, rootToken } = await startBenchServer(workDir, embedded, (step) => cleanups.push(step), progress);
  const api = new ApiClient(baseUrl);
  const fixtures = new Fixtures(api, rootToken);
  const gitClone = await runGitClone(api, fixtures, await fixtures.user('bench'), repositoriesDir(), workDir, settings.git, progress);
  const results: GitCloneOnlyResults = {
    machine: machineBlock(startedAt, loadAverageBefore, [...notes, ...gitClone.notes]),
    commit: commitOf(REPO_DIR),
    database: { kind: embedded ? 'embedded' : 'postgres', version: server.version, pool_size: server.poolSize },
    git_clone: gitCloneFigures(gitClone),
  };
  const dated = datedResultsFile(startedAt, `${results.database.kind}-git-clone`);
  writeFileSync(dated, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(gitCloneOnlySummary(results));
  progress(`results written to ${relative(process.cwd(), dated)} (bench/results.json is left to full runs)`);
}

function datedResultsFile(startedAt: Date, suffix: string): string {
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  return join(resultsDir, `${startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}Z-${suffix}.json`);
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
    await step
      .run()
      .catch((error: unknown) => progress(`cleanup "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (!workDir) return;
  rmSync(join(workDir, 'data'), { recursive: true, force: true });
  if (keepLog) progress(`server log kept at ${join(workDir, 'server.log')}`);
  else rmSync(workDir, { recursive: true, force: true });
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
