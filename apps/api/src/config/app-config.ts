import { isIP } from 'node:net';
import { publishLeadProblem } from '@lanyard/id-tokens';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Most to least severe; a level shows every line at it or above. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly logLevel: LogLevel;
  /** Absent: the service runs on an embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly port: number;
  /** The listen address. */
  readonly host: string;
  /** Where clients reach the service: every URL in a response, and `CI_SERVER_URL`. */
  readonly externalUrl: string;
  /**
   * GitLab's `ci_id_token_issuer_url`: the tokens' `iss`, discovery's `issuer`, with `jwks_uri` under it. The external
   * URL unless set, e.g. to a public static host serving `npm run export-oidc`'s files for a private instance.
   */
  readonly idTokenIssuerUrl: string;
  readonly rootToken: string | undefined;
  /** 32 bytes, base64 or hex; absent outside production it is generated once into `dataDir`. */
  readonly keyEncryptionKey: Buffer | undefined;
  readonly keyPublishLeadSeconds: number;
  readonly dataDir: string;
  /** The projects' bare git repositories; shared storage when several replicas serve one database. */
  readonly repositoriesDir: string;
  /** The largest pack a push may send (git's `receive.maxInputSize`). */
  readonly maxPushBytes: number;
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
  const nodeEnv = parseOneOf('NODE_ENV', env.NODE_ENV, NODE_ENVS, 'development');
  const production = nodeEnv === 'production';
  const dataDir = env.LANYARD_DATA_DIR?.trim() || './.data';
  const port = parsePort(env.PORT);
  // With only PORT set, the service is reached (and its tokens verified) where it listens.
  const externalUrl = parseBaseUrl('LANYARD_EXTERNAL_URL', env.LANYARD_EXTERNAL_URL, `http://localhost:${port}`, production);
  return {
    nodeEnv,
    logLevel: parseOneOf('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info'),
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    port,
    host: parseHost(env.HOST),
    externalUrl,
    idTokenIssuerUrl: parseBaseUrl('LANYARD_ID_TOKEN_ISSUER_URL', env.LANYARD_ID_TOKEN_ISSUER_URL, externalUrl, production),
    rootToken: parseRootToken(env.LANYARD_ROOT_TOKEN),
    keyEncryptionKey: parseKeyEncryptionKey(env.LANYARD_KEY_ENCRYPTION_KEY, production),
    keyPublishLeadSeconds: parsePublishLead(env.LANYARD_KEY_PUBLISH_LEAD, production),
    dataDir,
    repositoriesDir: env.LANYARD_REPOSITORIES_DIR?.trim() || `${dataDir}/repositories`,
    maxPushBytes: parseMaxPushBytes(env.LANYARD_MAX_PUSH_SIZE),
    metricsToken: parseMetricsToken(env.LANYARD_METRICS_TOKEN),
  };
}

const DEFAULT_MAX_PUSH_BYTES = 512 * 1024 * 1024;
const SIZE = /^(\d+)(k|m|g)?$/i;
const SIZE_UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes, or with a k, m or g suffix (binary units, as git's sizes). */
function parseMaxPushBytes(raw: string | undefined): number {
  const value = raw?.trim() ?? '';
  if (value === '') return DEFAULT_MAX_PUSH_BYTES;
  const match = SIZE.exec(value);
  const bytes = match ? Number(match[1]) * (match[2] ? SIZE_UNITS[match[2].toLowerCase()] : 1) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new ConfigError('LANYARD_MAX_PUSH_SIZE', 'must be a size such as 104857600, 100m or 1g');
  return bytes;
}

function parseOneOf<T extends string>(variable: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  const value = raw?.trim() ?? '';
  if (value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(variable, `must be one of ${allowed.join(', ')}`);
  return value as T;
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

function parseHost(raw: string | undefined): string {
  const value = raw?.trim() ?? '';
  if (value === '') return '0.0.0.0';
  if (isIP(value) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(value)) {
    throw new ConfigError('HOST', 'must be an IP address or a host name, such as 0.0.0.0, 127.0.0.1 or ::');
  }
  return value;
}

function parseBaseUrl(variable: string, raw: string | undefined, fallback: string, production: boolean): string {
  const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, 'must be an absolute URL such as https://ci.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, 'must use http or https');
  }
  if (production && url.protocol !== 'https:') {
    throw new ConfigError(variable, 'must use https when NODE_ENV=production');
  }
  // The issuer must equal `iss` byte for byte: no query, fragment, credentials or trailing slash to drift on.
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(variable, 'must not contain credentials, a query or a fragment');
  }
  if (value.endsWith('/')) {
    throw new ConfigError(variable, 'must not end with a slash');
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
