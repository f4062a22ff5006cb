import { execFileSync } from 'node:child_process';
import { cpus, loadavg, platform, release, arch, totalmem } from 'node:os';
import type { EndpointResult } from '../scenarios/endpoints';
import type { PickupResult } from '../scenarios/pickup';
import type { SigningResult } from '../scenarios/signing';
import { round } from './stats';

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly mode: 'embedded' | 'postgres';
  readonly machine: ReturnType<typeof machineInfo> & { readonly loadAverageBefore: number[]; readonly loadAverageAfter: number[] };
  readonly node: string;
  readonly database: { readonly kind: string; readonly version: string; readonly poolSize: number };
  readonly source: { readonly commit: string; readonly uncommittedChanges: boolean };
  readonly settings: Record<string, number>;
  readonly pickup: PickupResult[];
  readonly endpoints: EndpointResult[];
  readonly signing: SigningResult;
}

export function machineInfo() {
  const cores = cpus();
  return { platform: platform(), release: release(), arch: arch(), cpuModel: cores[0]?.model ?? 'unknown', cpus: cores.length, memoryGb: round(totalmem() / 2 ** 30, 1) };
}

export function loadAverage(): number[] {
  return loadavg().map((value) => round(value, 2));
}

/** The commit the tree is on, and whether it had uncommitted changes (others edit it concurrently). */
export function sourceInfo(repoDir: string): BenchResults['source'] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain').length > 0 };
  } catch {
    return { commit: 'unknown', uncommittedChanges: true };
  }
}

/** The short Markdown summary printed on stdout (the JSON file has every number). */
export function markdownSummary(results: BenchResults): string {
  const { machine, database } = results;
  const ms = (value: number) => value.toFixed(1);
  const lines = [
    `## Lanyard bench — ${results.mode} (${results.startedAt})`,
    '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${results.node}, ${database.version.split(' on ')[0]} (pool ${database.poolSize}); load average before ${machine.loadAverageBefore.join(' / ')}`,
    '',
    '| jobs/request | jobs | p50 ms | p95 ms | p99 ms | max ms | jobs/s | SQL per pickup | SQL round-trip ms per pickup | bench CPU ms per pickup |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.pickup.map(
      (run) =>
        `| ${run.name} | ${run.jobs} | ${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p95)} | ${ms(run.latencyMs.p99)} | ${ms(run.latencyMs.max)} | ${run.jobsPerSecond} | ${run.sql.queriesPerOp} | ${ms(run.sql.dbMsPerOp)} | ${ms(run.processCpuMsPerJob)} |`,
    ),
    '',
    '| endpoint | requests | p50 ms | p95 ms | p99 ms | max ms | req/s | SQL per request | bench CPU ms per request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.endpoints.map(
      (run) =>
        `| ${run.name} | ${run.requests} | ${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p95)} | ${ms(run.latencyMs.p99)} | ${ms(run.latencyMs.max)} | ${run.requestsPerSecond} | ${run.sql.queriesPerOp} | ${ms(run.processCpuMsPerRequest)} |`,
    ),
    '',
    `RS256 signing alone (jose, 2048-bit key): p50 ${ms(results.signing.sequentialMs.p50)} ms, p95 ${ms(results.signing.sequentialMs.p95)} ms one at a time; ` +
      `${results.signing.concurrentSignaturesPerSecond} signatures/s eight at a time.`,
  ];
  return lines.join('\n') + '\n';
}
