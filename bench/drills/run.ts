import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { commitOf, loadAverage, machineInfo } from '../support/report';
import type { DrillContext, DrillOptions, DrillResult } from './support/context';
import { concurrencyDrill } from './scenarios/concurrency';
import { outageDrill } from './scenarios/outage';
import { rotationDrill } from './scenarios/rotation';
import { crashDrill } from './scenarios/crash';
import { replicasDrill } from './scenarios/replicas';
import { soakDrill } from './scenarios/soak';

/**
 * `npm run drill [-- name ...] [--soak] [--rotation-cycles N] [--soak-minutes N]`: the reliability drills of issue 19,
 * each against services started as separate processes. Prints each drill's figures, writes them to
 * bench/drills.json, and exits 1 if any promise broke.
 */
interface Drill {
  readonly run: (context: DrillContext) => Promise<DrillResult>;
  /** Past this, the drill is stopped and counted broken: a hung drill (a service that never came back) must not hang CI. */
  readonly minutes: (options: DrillOptions) => number;
  readonly soak?: boolean;
}

const DRILLS: Record<string, Drill> = {
  concurrency: { run: concurrencyDrill, minutes: () => 20 },
  outage: { run: outageDrill, minutes: () => 15 },
  crash: { run: crashDrill, minutes: () => 15 },
  rotation: { run: rotationDrill, minutes: (options) => 10 + 17 * options.rotationCycles },
  replicas: { run: replicasDrill, minutes: () => 15 },
  soak: { run: soakDrill, minutes: (options) => 15 + options.soakMinutes, soak: true },
};

const RESULTS = resolve(__dirname, '..', 'drills.json');

const progress = (message: string) => process.stderr.write(`[drill] ${new Date().toISOString().slice(11, 19)} ${message}\n`);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const options: DrillOptions = {
    sharedServerUrl: process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    rotationCycles: flag(args, '--rotation-cycles', 2),
    soakMinutes: flag(args, '--soak-minutes', 20),
  };
  const soak = args.includes('--soak');
  const named = args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.match(/^--(rotation-cycles|soak-minutes)$/));
  const unknown = named.filter((name) => !DRILLS[name]);
  if (unknown.length) throw new Error(`unknown drill ${unknown.join(', ')}; drills: ${Object.keys(DRILLS).join(', ')}`);
  const selected = named.length ? named : Object.keys(DRILLS).filter((name) => !DRILLS[name].soak || soak);

  let broken = 0;
  for (const name of selected) {
    progress(`${name}: start`);
    const startedAt = new Date();
    const { result, error } = await runOne(name, options);
    const problems = error ? [`the drill stopped: ${error}`, ...result.problems] : result.problems;
    if (problems.length) broken += 1;
    // Read afresh: another drill run (a long rotation in another shell) may have written its figures meanwhile.
    const results = readResults();
    results.drills[name] = {
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      commit: commitOf(resolve(__dirname, '..', '..')),
      load_average_after: loadAverage(),
      passed: problems.length === 0,
      figures: result.figures,
      problems,
    };
    results.machine = machineInfo();
    writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(`\n## ${name}: ${problems.length ? 'BROKEN' : 'held'}\n`);
    for (const [key, value] of Object.entries(result.figures)) process.stdout.write(`  ${key}: ${value}\n`);
    for (const problem of problems) process.stdout.write(`  ✗ ${problem}\n`);
  }
  progress(`figures written to ${RESULTS}`);
  return broken ? 1 : 0;
}

async function runOne(name: string, options: DrillOptions): Promise<{ result: DrillResult; error?: string }> {
  const workDir = mkdtempSync(join(tmpdir(), `lanyard-drill-${name}-`));
  const steps: { name: string; step: () => unknown }[] = [];
  const context: DrillContext = {
    workDir,
    options,
    progress: (message) => progress(`${name}: ${message}`),
    defer: (stepName, step) => steps.push({ name: stepName, step }),
  };
  let outcome: { result: DrillResult; error?: string };
  const minutes = DRILLS[name].minutes(options);
  let watchdog: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    watchdog = setTimeout(() => reject(new Error(`ran longer than ${minutes} min`)), minutes * 60_000);
  });
  try {
    outcome = { result: await Promise.race([DRILLS[name].run(context), overdue]) };
  } catch (error) {
    outcome = { result: { figures: {}, problems: [] }, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  clearTimeout(watchdog);
  for (const { name: stepName, step } of steps.reverse()) {
    await Promise.resolve()
      .then(step)
      .catch((error: unknown) => progress(`cleanup "${stepName}" failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (outcome.error || outcome.result.problems.length) progress(`${name}: logs kept in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
  return outcome;
}

interface ResultsFile {
  machine?: unknown;
  drills: Record<string, unknown>;
}

function readResults(): ResultsFile {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as ResultsFile;
  } catch {
    return { drills: {} };
  }
}

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive integer`);
  return value;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[drill] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
