import { publishLeadProblem } from '@lanyard/id-tokens';

export interface AppConfig {
  readonly nodeEnv: string;
  /** Absent: the service runs on an embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly port: number;
  readonly externalUrl: string;
  readonly rootToken: string | undefined;
  /** 32 bytes, base64 or hex; absent outside production it is generated once into `dataDir`. */
  readonly keyEncryptionKey: Buffer | undefined;
  readonly keyPublishLeadSeconds: number;
  readonly dataDir: string;
  /** Bearer token `GET /-/metrics` requires; absent, the endpoint is off (404). */
  readonly metricsToken: string | undefined;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

const DURATION = /^(\d+)(s|m|h|d)?$/;
const DURATION_UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const MIN_ROOT_TOKEN_LENGTH = 20;

/** Reads and validates every setting in one place; the first bad value stops the service. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  return {
    nodeEnv,
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    port: parsePort(env.PORT),
    externalUrl: parseExternalUrl(env.LANYARD_EXTERNAL_URL, nodeEnv === 'production'),
    rootToken: parseRootToken(env.LANYARD_ROOT_TOKEN),
    keyEncryptionKey: parseKeyEncryptionKey(env.LANYARD_KEY_ENCRYPTION_KEY, nodeEnv === 'production'),
    keyPublishLeadSeconds: parsePublishLead(env.LANYARD_KEY_PUBLISH_LEAD, nodeEnv === 'production'),
    dataDir: env.LANYARD_DATA_DIR?.trim() || './.data',
    metricsToken: parseMetricsToken(env.LANYARD_METRICS_TOKEN),
  };
}

function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a URL such as postgres://user@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', 'must use the postgres:// or postgresql:// scheme');
  }
  return raw;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 8080;
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', 'must be an integer between 0 and 65535');
  }
  return port;
}

function parseExternalUrl(raw: string | undefined, production: boolean): string {
  const value = raw === undefined || raw.trim() === '' ? 'http://localhost:8080' : raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('LANYARD_EXTERNAL_URL', 'must be an absolute URL such as https://ci.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('LANYARD_EXTERNAL_URL', 'must use http or https');
  }
  if (production && url.protocol !== 'https:') {
    throw new ConfigError('LANYARD_EXTERNAL_URL', 'must use https when NODE_ENV=production');
  }
  // The issuer must equal `iss` byte for byte: no query, fragment, credentials or trailing slash to drift on.
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('LANYARD_EXTERNAL_URL', 'must not contain credentials, a query or a fragment');
  }
  if (value.endsWith('/')) {
    throw new ConfigError('LANYARD_EXTERNAL_URL', 'must not end with a slash');
  }
  return value;
}

function parseRootToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < MIN_ROOT_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(raw)) {
    throw new ConfigError('LANYARD_ROOT_TOKEN', `must be at least ${MIN_ROOT_TOKEN_LENGTH} printable characters without spaces`);
  }
  return raw;
}

function parseKeyEncryptionKey(raw: string | undefined, production: boolean): Buffer | undefined {
  if (raw === undefined || raw.trim() === '') {
    if (production) throw new ConfigError('LANYARD_KEY_ENCRYPTION_KEY', 'is required when NODE_ENV=production');
    return undefined;
  }
  const value = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(value) && key.toString('base64') !== value)) {
    throw new ConfigError('LANYARD_KEY_ENCRYPTION_KEY', 'must be 32 bytes, as 64 hex digits or base64');
  }
  return key;
}

/** Below the floor (libs/id-tokens key-rotation.ts) production refuses to start; elsewhere the signing keys warn. */
function parsePublishLead(raw: string | undefined, production: boolean): number {
  const seconds = parseDuration('LANYARD_KEY_PUBLISH_LEAD', raw, 86400);
  const problem = publishLeadProblem(seconds);
  if (problem && production) throw new ConfigError('LANYARD_KEY_PUBLISH_LEAD', `${problem}; NODE_ENV=production requires at least 15m`);
  return seconds;
}

function parseDuration(variable: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const match = DURATION.exec(raw.trim());
  if (!match) throw new ConfigError(variable, 'must be a duration such as 3600, 90s, 30m, 24h or 1d');
  return Number(match[1]) * DURATION_UNIT_SECONDS[match[2] ?? 's'];
}

/** As long as a root token: it guards what the service reveals about its load, keys and queue. */
function parseMetricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < MIN_ROOT_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(raw)) {
    throw new ConfigError('LANYARD_METRICS_TOKEN', `must be at least ${MIN_ROOT_TOKEN_LENGTH} printable characters without spaces`);
  }
  return raw;
}
