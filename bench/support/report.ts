import { execFileSync } from 'node:child_process';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { CloneFigures, GitCloneResult } from '../scenarios/git-clone';

/** `bench/results.json`: exactly the shape issue 10 asks for, so runs can be compared. Figures that could not be measured are null (see machine.notes). */
export interface BenchResults {
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly memory_gb: number;
    readonly os: string;
    readonly node: string;
    readonly uv_threadpool_size: string | undefined;
    readonly started_at: string;
    readonly finished_at: string;
    /** 1/5/15-minute load average: the machine is shared, figures taken under load are lower. */
    readonly load_average_before: number[];
    readonly load_average_after: number[];
    readonly notes: string[];
  };
  readonly commit: string;
  readonly database: { readonly kind: 'postgres' | 'embedded'; readonly version: string; readonly pool_size: number };
  readonly openssl_sign_per_s: number | null;
  readonly pg_ceiling_tps: number | null;
  readonly mint: { readonly tokens_per_s: number; readonly ratio: number | null };
  readonly pickup: {
    readonly runners: number;
    readonly jobs: number;
    readonly jobs_per_s: number;
    readonly tokens_per_s: number;
    readonly p50_ms: number;
    readonly p99_ms: number;
    readonly ratio: number | null;
    readonly sql_per_pickup: number;
    /** Jobs/s ÷ the reference pickup server's jobs/s, and p99 ÷ its p99, in the same run (issue 15). */
    readonly reference_ratio: number | null;
    readonly reference_p99_ratio: number | null;
  };
  /** The least a server can do for the same drain (`load/reference-pickup-server.ts`); null on the embedded database. */
  readonly reference_pickup: { readonly jobs_per_s: number; readonly p50_ms: number; readonly p99_ms: number } | null;
  readonly queue_scale: {
    readonly idle_poll_ms_small: number;
    readonly idle_poll_ms_large: number;
    readonly pickup_ms_small: number;
    readonly pickup_ms_large: number;
  };
  readonly jwks: { readonly req_per_s: number; readonly bare_node_req_per_s: number; readonly ratio: number };
  readonly lint: { readonly jobs: number; readonly ms: number };
  /** `POST /projects/:id/pipeline` of a file with include, rules, needs and extends, against parsing its YAML alone. */
  readonly pipeline_creation: {
    readonly jobs: number;
    readonly created_jobs: number;
    readonly bytes: number;
    readonly ms: number;
    readonly parse_ms: number;
    readonly ratio: number;
  };
  readonly memory: { readonly pickups: number; readonly rss_growth_pct: number };
  readonly git_clone: GitCloneFigures;
}

/** A clone over smart HTTP against the same clone from the disk; ratios are HTTP ÷ local. */
interface CloneRatios extends CloneFigures {
  readonly ratio: number;
  readonly bytes_ratio: number;
}

/** Issue 17: clones of a 1,000-commit, 5,000-file project, and push-to-pipeline latency. */
export interface GitCloneFigures {
  readonly commits: number;
  readonly files: number;
  readonly full: CloneRatios;
  readonly depth1: CloneRatios;
  readonly push_to_pipeline_ms: number;
  readonly push_ms: number;
}

/** What `BENCH_ONLY=git-clone` writes: the run's context and that scenario's figures. */
export type GitCloneOnlyResults = Pick<BenchResults, 'machine' | 'commit' | 'database' | 'git_clone'>;

export function gitCloneFigures(result: GitCloneResult): GitCloneFigures {
  const ratios = (kind: CloneFigures): CloneRatios => ({
    ...kind,
    http_ms: Math.round(kind.http_ms),
    local_ms: Math.round(kind.local_ms),
    ratio: Math.round((kind.http_ms / kind.local_ms) * 100) / 100,
    bytes_ratio: Math.round((kind.http_bytes / kind.local_bytes) * 1000) / 1000,
  });
  return {
    commits: result.commits,
    files: result.files,
    full: ratios(result.full),
    depth1: ratios(result.depth1),
    push_to_pipeline_ms: Math.round(result.pushToPipelineMs),
    push_ms: Math.round(result.pushMs),
  };
}

export function machineInfo() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    uv_threadpool_size: process.env.UV_THREADPOOL_SIZE,
  };
}

/** The machine block of a results file: where and when the run happened, and what could not be measured. */
export function machineBlock(startedAt: Date, loadAverageBefore: number[], notes: string[]): BenchResults['machine'] {
  return {
    ...machineInfo(),
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    load_average_before: loadAverageBefore,
    load_average_after: loadAverage(),
    notes,
  };
}

export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** The commit the tree is on, `+uncommitted` when the tree differs from it. */
export function commitOf(repoDir: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return (
      git('rev-parse', '--short=12', 'HEAD') +
      (git('status', '--porcelain', '--', '.', ':!bench/results.json', ':!bench/results').length > 0 ? '+uncommitted' : '')
    );
  } catch {
    return 'unknown';
  }
}

/** The goals (2-core machine), beside each figure. */
export function markdownSummary(r: BenchResults): string {
  const fmt = (value: number | null, digits = 0) => (value === null ? 'n/a' : value.toFixed(digits));
  const rows: [string, string, string][] = [
    ['OpenSSL RSA-2048 sign/s (`openssl speed -multi`)', fmt(r.openssl_sign_per_s), 'reference'],
    ['pgbench ceiling, lean pickup transaction, 16 clients (tps)', fmt(r.pg_ceiling_tps), 'reference'],
    ['mint: signIdToken tokens/s (ratio to OpenSSL)', `${fmt(r.mint.tokens_per_s)} (${fmt(r.mint.ratio, 2)})`, 'ratio ≥ 0.85'],
    [
      `pickup: ${r.pickup.runners} runners, ${r.pickup.jobs} 2-token jobs, jobs/s (tokens/s)`,
      `${fmt(r.pickup.jobs_per_s, 1)} (${fmt(r.pickup.tokens_per_s)})`,
      '',
    ],
    ['pickup: tokens/s ÷ OpenSSL sign/s', fmt(r.pickup.ratio, 3), '≥ 0.15'],
    ['pickup: p50 / p99 ms', `${fmt(r.pickup.p50_ms, 1)} / ${fmt(r.pickup.p99_ms, 1)}`, 'p99 ≤ 50'],
    [
      'reference pickup server (Node http + pg, no framework): jobs/s, p50 / p99 ms',
      r.reference_pickup
        ? `${fmt(r.reference_pickup.jobs_per_s, 1)}, ${fmt(r.reference_pickup.p50_ms, 1)} / ${fmt(r.reference_pickup.p99_ms, 1)}`
        : 'n/a',
      'reference',
    ],
    ['pickup ÷ reference: jobs/s; p99', `${fmt(r.pickup.reference_ratio, 2)}; ${fmt(r.pickup.reference_p99_ratio, 2)}`, '≥ 0.7; ≤ 2'],
    ['pickup: SQL round trips per pickup', fmt(r.pickup.sql_per_pickup, 1), '≤ 5 for every shape'],
    [
      'queue scale: idle group-runner poll ms, small → large',
      `${fmt(r.queue_scale.idle_poll_ms_small, 2)} → ${fmt(r.queue_scale.idle_poll_ms_large, 2)}`,
      'large/small ≤ 1.5',
    ],
    [
      'queue scale: project-runner pickup ms, small → large',
      `${fmt(r.queue_scale.pickup_ms_small, 2)} → ${fmt(r.queue_scale.pickup_ms_large, 2)}`,
      'large/small ≤ 1.5',
    ],
    [
      'JWKS req/s, 32 connections (bare Node; ratio)',
      `${fmt(r.jwks.req_per_s)} (${fmt(r.jwks.bare_node_req_per_s)}; ${fmt(r.jwks.ratio, 2)})`,
      '≥ 10,000 and ≥ 0.5',
    ],
    [`lint, ${r.lint.jobs} jobs with extends and 2 ID tokens, ms`, fmt(r.lint.ms, 1), '≤ 200'],
    [
      `pipeline creation, ${r.pipeline_creation.jobs}-job file (${r.pipeline_creation.created_jobs} created), ms ÷ YAML parse ms`,
      `${fmt(r.pipeline_creation.ms, 1)} ÷ ${fmt(r.pipeline_creation.parse_ms, 1)} = ${fmt(r.pipeline_creation.ratio, 2)}`,
      '≤ 4',
    ],
    [`memory: RSS growth over ${r.memory.pickups} pickups, %`, fmt(r.memory.rss_growth_pct, 1), '≤ 10'],
    ...gitCloneRows(r.git_clone),
  ];
  return summaryTable(r, rows);
}

export function gitCloneOnlySummary(r: GitCloneOnlyResults): string {
  return summaryTable(r, gitCloneRows(r.git_clone));
}

function gitCloneRows(g: GitCloneFigures): [string, string, string][] {
  const clone = (kind: CloneRatios) =>
    `${kind.http_ms} ÷ ${kind.local_ms} = ${kind.ratio.toFixed(2)}; ${(kind.http_bytes / 2 ** 20).toFixed(2)} MiB, ${kind.bytes_ratio.toFixed(3)}`;
  const repository = `${g.commits} commits, ${g.files} files`;
  return [
    [`git clone over HTTP ÷ local \`--no-local\` clone, ${repository}: ms; bytes`, clone(g.full), 'ratio (issue 17)'],
    [`git clone --depth 1 (runner's GIT_DEPTH) ÷ local, same repository: ms; bytes`, clone(g.depth1), 'ratio (issue 17)'],
    [
      'push to pipeline: `git push` of a .gitlab-ci.yml commit until the API lists its pipeline, ms (the push alone)',
      `${g.push_to_pipeline_ms} (${g.push_ms})`,
      'report (issue 17)',
    ],
  ];
}

function summaryTable(r: Pick<BenchResults, 'machine' | 'commit' | 'database'>, rows: [string, string, string][]): string {
  return [
    `## Lanyard bench — ${r.database.kind} (${r.machine.started_at}, commit ${r.commit})`,
    '',
    `${r.machine.cores} × ${r.machine.cpu}, ${r.machine.memory_gb} GB, Node ${r.machine.node}, UV_THREADPOOL_SIZE=${r.machine.uv_threadpool_size}, ${r.database.version} (pool ${r.database.pool_size}); load average before ${r.machine.load_average_before.join(' / ')}, after ${r.machine.load_average_after.join(' / ')}`,
    '',
    '| figure | value | goal |',
    '|---|---:|---|',
    ...rows.map(([name, value, goal]) => `| ${name} | ${value} | ${goal} |`),
    ...(r.machine.notes.length ? ['', ...r.machine.notes.map((note) => `- ${note}`)] : []),
    '',
  ].join('\n');
}
