import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock';
import { type PoolCounts, keyGauges, poolGauges, queueGauges } from './metric-values';
import { readScrapeRow } from './scrape.statement';

/** What a pickup transaction came to; a dropped job names its failure reason. */
export type PickupOutcome = { readonly kind: 'job' | 'none' } | { readonly kind: 'dropped'; readonly reason: string };

const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SIGNING_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The service's metrics. Counters and histograms are updated in memory by the code they measure (no I/O on the hot
 * path); the gauges are read when Prometheus scrapes: the queue and the keys in one statement, the pool from pg.
 * Each app has its own registry, so several apps in one process (tests) do not share series.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger('Metrics');
  private readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'lanyard_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, with their latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  private readonly pickups = this.counter('lanyard_pickups_total', 'Pickup attempts by outcome: job, none or dropped', ['outcome']);
  private readonly drops = this.counter('lanyard_jobs_dropped_total', 'Jobs failed at pickup, by failure reason', ['reason']);
  private readonly minted = this.counter('lanyard_id_tokens_minted_total', 'ID tokens minted at pickup by outcome', ['outcome']);
  private readonly signing = new Histogram({
    name: 'lanyard_id_token_signing_duration_seconds',
    help: "Time to sign one job's ID tokens (with the signer's row lock when the claim did not already hold it)",
    buckets: SIGNING_BUCKETS,
    registers: [this.registry],
  });
  private readonly databaseUp = this.gauge('lanyard_metrics_database_up', 'Whether the last scrape could read the database (1) or not (0)');
  private readonly queueDepth = this.gauge('lanyard_queue_pending_jobs', 'Jobs waiting in the runner queue');
  private readonly queueAge = this.gauge('lanyard_queue_oldest_pending_age_seconds', 'How long the oldest queued job has waited');
  private readonly keyCount = this.gauge('lanyard_signing_keys', 'Published signing keys by state', ['state']);
  private readonly keyAge = this.gauge('lanyard_signing_key_age_seconds', 'Age of each published signing key', ['kid', 'state']);
  private readonly nextActivation = this.gauge(
    'lanyard_signing_key_next_activation_seconds',
    'Seconds until the soonest next key may be activated (0: now); absent when no key is staged',
    ['kid'],
  );
  private readonly pool = this.gauge('lanyard_db_pool_connections', 'Database pool connections: total, idle and waiting clients', [
    'state',
  ]);
  private readonly poolMax = this.gauge('lanyard_db_pool_max', 'Database pool size (1 on the embedded database)');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // Known outcomes start at 0, so a rate over them exists before the first event.
    for (const outcome of ['job', 'none', 'dropped']) this.pickups.inc({ outcome }, 0);
    for (const outcome of ['issued', 'failed']) this.minted.inc({ outcome }, 0);
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  pickedUp(outcome: PickupOutcome): void {
    this.pickups.inc({ outcome: outcome.kind });
    if (outcome.kind === 'dropped') this.drops.inc({ reason: outcome.reason });
  }

  /** Times the signing of `tokenCount` tokens and counts them by outcome; a job without tokens signs nothing. */
  async timeSigning<Result extends { readonly ok: boolean }>(tokenCount: number, sign: () => Promise<Result>): Promise<Result> {
    if (tokenCount === 0) return sign();
    const started = performance.now();
    const result = await sign();
    this.signing.observe((performance.now() - started) / 1000);
    this.minted.inc({ outcome: result.ok ? 'issued' : 'failed' }, tokenCount);
    return result;
  }

  /** The exposition, with the scrape-time gauges read now. */
  async render(): Promise<string> {
    await this.readGauges();
    return this.registry.metrics();
  }

  private async readGauges(): Promise<void> {
    // TypeORM's PostgreSQL driver keeps its pg Pool as `master`, untyped.
    const pool = poolGauges((this.db.driver as unknown as { master: PoolCounts }).master);
    this.poolMax.set(pool.max);
    for (const state of ['total', 'idle', 'waiting'] as const) this.pool.set({ state }, pool[state]);
    const now = this.clock.now();
    this.keyCount.reset();
    this.keyAge.reset();
    this.nextActivation.reset();
    try {
      const row = await readScrapeRow(this.db, now);
      const seconds = now.getTime() / 1000;
      const queue = queueGauges(row, seconds);
      this.queueDepth.set(queue.depth);
      this.queueAge.set(queue.oldestAgeSeconds);
      const keys = keyGauges(row.keys, seconds);
      for (const [state, count] of keys.countsByState) this.keyCount.set({ state }, count);
      for (const { kid, state, seconds: age } of keys.ages) this.keyAge.set({ kid, state }, age);
      if (keys.nextActivation) this.nextActivation.set({ kid: keys.nextActivation.kid }, keys.nextActivation.seconds);
      this.databaseUp.set(1);
    } catch (error) {
      // The in-memory series are still worth a scrape while the database is away.
      this.logger.warn({ msg: 'metrics could not read the database', error: error instanceof Error ? error.message : 'unknown' });
      this.databaseUp.set(0);
    }
  }

  private counter<Label extends string>(name: string, help: string, labelNames: readonly Label[]): Counter<Label> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<Label extends string = never>(name: string, help: string, labelNames: readonly Label[] = []): Gauge<Label> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
