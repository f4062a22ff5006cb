import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

/** The channel every change to the key set is announced on, from inside the transaction that makes it. */
const CHANNEL = 'lanyard_signing_keys';
const PROBE_PREFIX = 'probe:';
/** Until notifications are known to arrive, the key set's fingerprint is compared this often. */
const POLL_INTERVAL_MS = 1_000;
/** How long a lost listening connection waits before it is opened again. */
const RECONNECT_INTERVAL_MS = 30_000;

/** Announces a key-set change to every replica; delivered when the caller's transaction commits. */
export async function announceKeyChange(tx: EntityManager): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [CHANNEL, 'changed']);
}

/**
 * Tells this replica when another one changed the key set, so its JWKS and signer follow at once rather than at the
 * next periodic refresh. On PostgreSQL a dedicated connection LISTENs; it counts as working once a probe it sent to
 * itself came back. Until then, and whenever that connection is lost, the key set's fingerprint is polled every
 * second instead. The embedded database (a pool of one: PGlite's single session) always polls: there a notification
 * goes back to the connection that raised it, never to a listener.
 */
@Injectable()
export class KeyChangeListener implements OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  private onChange: () => Promise<void> = async () => undefined;
  private client: Client | null = null;
  private listening = false;
  private probe = '';
  private fingerprint: string | null = null;
  private pollTimer: NodeJS.Timeout | undefined;
  private lastConnectAttempt = 0;
  private changing: Promise<void> | null = null;
  private changedAgain = false;
  private stopped = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async start(onChange: () => Promise<void>): Promise<void> {
    this.onChange = onChange;
    this.fingerprint = await this.readFingerprint().catch(() => null);
    this.pollTimer = setInterval(() => void this.tick(), POLL_INTERVAL_MS);
    this.pollTimer.unref();
    await this.connect();
  }

  /** Whether notifications are known to reach this replica (else it polls). */
  isListening(): boolean {
    return this.listening;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    await this.disconnect();
  }

  private get options(): PostgresDataSourceOptions {
    return this.db.options as PostgresDataSourceOptions;
  }

  private async connect(): Promise<void> {
    if ((this.options.extra?.max ?? 10) <= 1 || this.stopped) return;
    // eslint-disable-next-line no-restricted-syntax -- paces reconnects alongside setInterval: real elapsed time, even under a test clock
    this.lastConnectAttempt = Date.now();
    const client = new Client({ connectionString: this.options.url, connectionTimeoutMillis: 5_000 });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.payload === this.probe) {
        this.listening = true;
        return;
      }
      if (!message.payload?.startsWith(PROBE_PREFIX)) this.changed();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      this.probe = `${PROBE_PREFIX}${randomUUID()}`;
      await this.db.query('SELECT pg_notify($1, $2)', [CHANNEL, this.probe]);
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.client !== null && this.client !== client) return;
    if (this.listening && !this.stopped) {
      this.logger.warn({
        msg: 'lost the key-change notifications; polling until they are back',
        error: error instanceof Error ? error.message : undefined,
      });
    }
    this.client = null;
    this.listening = false;
    void client.end().catch(() => undefined);
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.listening || this.stopped) return;
    // eslint-disable-next-line no-restricted-syntax -- paces reconnects alongside setInterval: real elapsed time, even under a test clock
    if (this.client === null && Date.now() - this.lastConnectAttempt >= RECONNECT_INTERVAL_MS) void this.connect();
    const current = await this.readFingerprint().catch(() => null);
    if (current === null || current === this.fingerprint) return;
    this.fingerprint = current;
    this.changed();
  }

  /** Every key and its state: any add, activation, retirement or revocation changes it. */
  private async readFingerprint(): Promise<string> {
    const [row]: { fingerprint: string | null }[] = await this.db.query(
      `SELECT string_agg(kid || ':' || state, ',' ORDER BY id) AS fingerprint FROM ci_jwt_signing_keys`,
    );
    return row?.fingerprint ?? '';
  }

  /** Runs one reload at a time; changes announced during a reload cause exactly one more. */
  private changed(): void {
    if (this.changing) {
      this.changedAgain = true;
      return;
    }
    this.changing = this.onChange()
      .catch(() => undefined)
      .finally(() => {
        this.changing = null;
        if (this.changedAgain && !this.stopped) {
          this.changedAgain = false;
          this.changed();
        }
      });
  }
}
