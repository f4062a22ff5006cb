import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

/** The channel a runner paused, deleted, given a new token or otherwise changed is announced on, by its id. */
const CHANNEL = 'lanyard_runners';
const PROBE_PREFIX = 'probe:';
export const LISTENER_NAME = 'lanyard-runner-changes';
/** How often a lost listening connection is opened again. */
const RECONNECT_INTERVAL_MS = 5_000;

/** Announces a changed runner to every replica; delivered when the caller's transaction commits. */
export async function announceRunnerChange(tx: EntityManager, runnerId: number): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [CHANNEL, String(runnerId)]);
}

/**
 * Tells this replica which runners another one changed, so that its runner sessions (runner-sessions.ts) forget them
 * at once rather than when they expire. On PostgreSQL a dedicated connection LISTENs; it counts as working once a
 * probe it sent to itself came back. Until then, and whenever that connection is lost, `trusted()` is false and the
 * poll reads the runner every time: a cache nobody can invalidate is not kept. The embedded database (a pool of one,
 * PGlite's single session) is one replica, which forgets its own changes itself: there sessions are always trusted.
 */
@Injectable()
export class RunnerChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RunnerSessions');
  private readonly handlers: ((runnerId: number | null) => void)[] = [];
  private client: Client | null = null;
  private listening = false;
  private probe = '';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `handler` runs for every runner any replica announced, and with null when announcements may have been missed. */
  onChange(handler: (runnerId: number | null) => void): void {
    this.handlers.push(handler);
  }

  /** Whether a cached session can be forgotten when its runner changes anywhere. */
  trusted(): boolean {
    return this.singleSession() || this.listening;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.singleSession()) return;
    this.timer = setInterval(() => {
      if (this.client === null && !this.stopped) void this.connect();
    }, RECONNECT_INTERVAL_MS);
    this.timer.unref();
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  private singleSession(): boolean {
    return ((this.db.options as PostgresDataSourceOptions).extra?.max ?? 10) <= 1;
  }

  private async connect(): Promise<void> {
    const url = (this.db.options as PostgresDataSourceOptions).url;
    // Named, so an operator can tell this connection from the pool's in `pg_stat_activity`.
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: LISTENER_NAME });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      const payload = message.payload ?? '';
      if (payload === this.probe) this.listening = true;
      else if (!payload.startsWith(PROBE_PREFIX)) this.changed(Number(payload));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.probe = `${PROBE_PREFIX}${randomUUID()}`;
      await client.query('SELECT pg_notify($1, $2)', [CHANNEL, this.probe]);
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    if (this.listening && !this.stopped) {
      this.logger.warn({
        msg: 'lost the runner-change notifications; reading runners on every poll until they are back',
        error: error instanceof Error ? error.message : undefined,
      });
    }
    this.client = null;
    if (this.listening) this.changed(null);
    this.listening = false;
    void client.end().catch(() => undefined);
  }

  private changed(runnerId: number | null): void {
    if (runnerId !== null && !Number.isSafeInteger(runnerId)) return;
    for (const handler of this.handlers) handler(runnerId);
  }
}
