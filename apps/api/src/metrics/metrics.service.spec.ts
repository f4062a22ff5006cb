import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import { MetricsService } from './metrics.service';

const NOW = new Date('2026-01-01T00:10:00Z');
const clock: Clock = { now: () => NOW };
const POOL = { totalCount: 3, idleCount: 2, waitingCount: 0, options: { max: 10 } };

/** A DataSource with pg's pool counts whose scrape statement answers `row`, or fails with `row` when it is an Error. */
function database(row: object | Error): DataSource {
  const query = async () => {
    if (row instanceof Error) throw row;
    return [row];
  };
  return { driver: { master: POOL }, query } as unknown as DataSource;
}

const EMPTY = { queue_depth: 0, oldest_queued_at: null, keys: [] };

/** The value of one series in the exposition, `series` as printed (name and labels). */
function valueIn(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe(MetricsService.name, () => {
  it('counts pickups by outcome and a dropped job under its reason', async () => {
    const metrics = new MetricsService(database(EMPTY), clock);
    metrics.pickedUp({ kind: 'job' });
    metrics.pickedUp({ kind: 'dropped', reason: 'secrets_provider_not_found' });
    metrics.pickedUp({ kind: 'dropped', reason: 'secrets_provider_not_found' });
    const text = await metrics.render();
    expect(valueIn(text, 'lanyard_pickups_total{outcome="job"}')).toBe(1);
    expect(valueIn(text, 'lanyard_pickups_total{outcome="dropped"}')).toBe(2);
    expect(valueIn(text, 'lanyard_pickups_total{outcome="none"}')).toBe(0);
    expect(valueIn(text, 'lanyard_jobs_dropped_total{reason="secrets_provider_not_found"}')).toBe(2);
  });

  it('counts tokens by outcome and times each signing, but not a job that signs nothing', async () => {
    const metrics = new MetricsService(database(EMPTY), clock);
    await metrics.timeSigning(2, async () => ({ ok: true }));
    await metrics.timeSigning(3, async () => ({ ok: false }));
    await metrics.timeSigning(0, async () => ({ ok: true }));
    const text = await metrics.render();
    expect(valueIn(text, 'lanyard_id_tokens_minted_total{outcome="issued"}')).toBe(2);
    expect(valueIn(text, 'lanyard_id_tokens_minted_total{outcome="failed"}')).toBe(3);
    expect(valueIn(text, 'lanyard_id_token_signing_duration_seconds_count')).toBe(2);
  });

  it('sets the queue, key and pool gauges from one read at scrape time, on the injected clock', async () => {
    const at = (iso: string) => new Date(iso).getTime() / 1000;
    const metrics = new MetricsService(
      database({
        queue_depth: 4,
        oldest_queued_at: at('2026-01-01T00:07:00Z'),
        keys: [
          { kid: 'old', state: 'active', createdAt: at('2025-12-31T00:10:00Z'), usableFrom: at('2025-12-31T00:10:00Z') },
          { kid: 'new', state: 'next', createdAt: at('2026-01-01T00:00:00Z'), usableFrom: at('2026-01-01T01:00:00Z') },
        ],
      }),
      clock,
    );
    const text = await metrics.render();
    expect(valueIn(text, 'lanyard_metrics_database_up')).toBe(1);
    expect(valueIn(text, 'lanyard_queue_pending_jobs')).toBe(4);
    expect(valueIn(text, 'lanyard_queue_oldest_pending_age_seconds')).toBe(180);
    expect(valueIn(text, 'lanyard_signing_key_age_seconds{kid="old",state="active"}')).toBe(86400);
    expect(valueIn(text, 'lanyard_signing_key_age_seconds{kid="new",state="next"}')).toBe(600);
    expect(valueIn(text, 'lanyard_signing_keys{state="next"}')).toBe(1);
    expect(valueIn(text, 'lanyard_signing_key_next_activation_seconds{kid="new"}')).toBe(3000);
    expect(valueIn(text, 'lanyard_db_pool_max')).toBe(10);
    expect(valueIn(text, 'lanyard_db_pool_connections{state="total"}')).toBe(3);
    expect(valueIn(text, 'lanyard_db_pool_connections{state="idle"}')).toBe(2);
    expect(valueIn(text, 'lanyard_db_pool_connections{state="waiting"}')).toBe(0);
  });

  it('still serves the in-memory series when the database cannot be read, and says so', async () => {
    const metrics = new MetricsService(database(new Error('connection refused')), clock);
    metrics.pickedUp({ kind: 'none' });
    const text = await metrics.render();
    expect(valueIn(text, 'lanyard_metrics_database_up')).toBe(0);
    expect(valueIn(text, 'lanyard_pickups_total{outcome="none"}')).toBe(1);
    expect(text).not.toContain('lanyard_signing_key_age_seconds{');
  });
});
