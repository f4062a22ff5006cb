import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HttpClient } from '../../support/http';
import { summarize } from '../../support/stats';
import { freshDatabase, type DrillContext, type DrillResult } from '../support/context';
import { RunnerFleet, sleep } from '../support/fleet';
import { ledgerFigures, round } from '../support/figures';
import { readLedger } from '../support/ledger';
import { serviceSettings, startService } from '../support/service';
import { SteadyLoad } from '../support/steady-load';
import { TokenChecks } from '../support/token-checks';
import { prepareWorkload } from '../support/workload';

const RUNNERS = 8;
const CAPACITY_JOBS = 1000;
const SAMPLE_MS = 60_000;
/** "Flat": the last third of the run against the first (the first minute is warm-up and left out). */
const MAX_RSS_GROWTH = 1.25;
const MAX_P99_GROWTH = 2;
const MAX_LOOP_DELAY_GROWTH = 2;

interface Sample {
  minute: number;
  jobs: number;
  rssMb: number;
  loopDelayP99Ms: number;
  pickupP99Ms: number;
}

/**
 * Drill 6 (`--soak`, not in CI): the capacity measured by an unpaced drain, then `--soak-minutes` (20) of pickups at
 * half of it. Promise: RSS, event-loop delay and pickup p99 stay flat; and, as everywhere, every job once, every token valid.
 */
export async function soakDrill(context: DrillContext): Promise<DrillResult> {
  const metricsToken = randomBytes(24).toString('hex');
  const settings = await serviceSettings(context.workDir, await freshDatabase(context, 'soak'), { metricsToken });
  const server = await startService(settings);
  context.defer('stop the service', () => server.stop());
  const workload = await prepareWorkload(settings.externalUrl, settings.rootToken, RUNNERS);
  const client = new HttpClient(settings.externalUrl, RUNNERS + 4);
  context.defer('close the runners', () => client.close());
  const jwks = `${settings.externalUrl}/oauth/discovery/keys`;
  const checks = new TokenChecks(settings.externalUrl, () => jwks);
  checks.addJoseVerifier(jwks);

  await workload.queue(CAPACITY_JOBS);
  const capacityFleet = new RunnerFleet([client], workload.runnerTokens, {
    finish: true,
    onDelivery: (delivery) => checks.check(delivery),
  });
  const capacityStart = performance.now();
  await capacityFleet.run();
  const capacity = (capacityFleet.record.deliveries.length / (performance.now() - capacityStart)) * 1000;
  const p50 = summarize(capacityFleet.record.latenciesMs).p50;
  // Each runner takes a job every RUNNERS / target seconds: the pause is that minus the time a pickup takes.
  const pauseMs = Math.max(0, (1000 * RUNNERS) / (capacity / 2) - p50);
  context.progress(`capacity ${round(capacity, 1)} jobs/s; soaking at about half for ${context.options.soakMinutes} min`);

  const load = new SteadyLoad(workload, [client], { pauseMs, onDelivery: (delivery) => checks.check(delivery) });
  await load.start();
  const samples: Sample[] = [];
  const started = performance.now();
  for (let minute = 1; minute <= context.options.soakMinutes; minute++) {
    await sleep(started + minute * SAMPLE_MS - performance.now());
    const recent = load.fleet.record.timeline.filter(([at]) => at > performance.now() - SAMPLE_MS).map(([, latency]) => latency);
    samples.push({
      minute,
      jobs: recent.length,
      rssMb: round(rssBytes(server.pid) / 2 ** 20, 1),
      loopDelayP99Ms: await loopDelayP99Ms(client, metricsToken),
      pickupP99Ms: recent.length ? round(summarize(recent).p99, 1) : 0,
    });
    context.progress(`minute ${minute}: ${JSON.stringify(samples.at(-1))}`);
  }
  await load.finish();
  const soakS = (performance.now() - started) / 1000;

  const problems: string[] = [];
  const third = Math.max(1, Math.floor((samples.length - 1) / 3));
  const first = samples.slice(1, 1 + third);
  const last = samples.slice(-third);
  const growth = (pick: (sample: Sample) => number) => median(last.map(pick)) / Math.max(0.001, median(first.map(pick)));
  const rssGrowth = growth((sample) => sample.rssMb);
  const p99Growth = growth((sample) => sample.pickupP99Ms);
  const loopGrowth = growth((sample) => sample.loopDelayP99Ms);
  if (samples.length >= 4) {
    if (rssGrowth > MAX_RSS_GROWTH) problems.push(`RSS grew ×${round(rssGrowth)} from the first third to the last`);
    if (p99Growth > MAX_P99_GROWTH) problems.push(`pickup p99 grew ×${round(p99Growth)} from the first third to the last`);
    if (loopGrowth > MAX_LOOP_DELAY_GROWTH) problems.push(`event-loop delay p99 grew ×${round(loopGrowth)}`);
  } else problems.push('too short to judge flatness: at least 4 minutes are needed');
  const deliveries = [...capacityFleet.record.deliveries, ...load.fleet.record.deliveries];
  const ledger = await readLedger(settings.databaseUrl, workload.pipelineIds, deliveries, { finished: true, lostAnswersAllowed: false });
  const tokens = await checks.settle();
  return {
    figures: {
      capacity_jobs_per_s: round(capacity, 1),
      soak_jobs_per_s: round(load.fleet.record.deliveries.length / soakS, 1),
      minutes: samples.length,
      rss_mb_first_last: `${median(first.map((sample) => sample.rssMb))} → ${median(last.map((sample) => sample.rssMb))}`,
      pickup_p99_ms_first_last: `${median(first.map((sample) => sample.pickupP99Ms))} → ${median(last.map((sample) => sample.pickupP99Ms))}`,
      loop_delay_p99_ms_first_last: `${median(first.map((sample) => sample.loopDelayP99Ms))} → ${median(last.map((sample) => sample.loopDelayP99Ms))}`,
      ...ledgerFigures(ledger),
      ...tokens.figures,
    },
    problems: [...problems, ...ledger.problems, ...tokens.problems, ...load.fleet.record.unexpected.slice(0, 5)],
  };
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

/** prom-client's default `nodejs_eventloop_lag_p99_seconds`, from the service's own `/-/metrics`. */
async function loopDelayP99Ms(client: HttpClient, token: string): Promise<number> {
  const answer = await client.send('GET', '/-/metrics', undefined, { Authorization: `Bearer ${token}` });
  const match = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(answer.body);
  return match ? round(Number(match[1]) * 1000, 2) : NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
