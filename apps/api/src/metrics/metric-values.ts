/**
 * What the scrape-time gauges show, worked out from plain rows and the clock's time: kept apart from prom-client,
 * Express and SQL so each mapping is tested on its own. Times are in seconds.
 */

/** The label of a request that no route matched: never its raw path, which would make a series per URL tried. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Nest's not-found handler: a catch-all route under the global prefix's router, which no controller declares. */
const NOT_FOUND_PATTERN = '*path';

/** What Express leaves on a request it routed: the router's mount path and the matched route's pattern. */
export interface RoutedRequest {
  /** The path without its query string. */
  readonly path: string;
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

/**
 * The route pattern a request was answered by (`/api/v4/projects/:id`), or one of `staticPaths`, the fixed paths
 * answered in front of the router (discovery, the JWKS, the pickup), or `unmatched`.
 */
export function routeLabel(request: RoutedRequest, staticPaths: ReadonlySet<string>): string {
  const pattern = request.route?.path;
  if (pattern === NOT_FOUND_PATTERN) return UNMATCHED_ROUTE;
  if (typeof pattern === 'string') return `${request.baseUrl ?? ''}${pattern}`;
  return staticPaths.has(request.path) ? request.path : UNMATCHED_ROUTE;
}

/** One scrape's read of the queue and the signing keys (scrape.statement.ts). */
export interface ScrapeRow {
  readonly queueDepth: number;
  /** When the job waiting longest was queued; null when the queue is empty. */
  readonly oldestQueuedAt: number | null;
  readonly keys: readonly ScrapedKey[];
}

export interface ScrapedKey {
  readonly kid: string;
  readonly state: string;
  readonly createdAt: number;
  readonly usableFrom: number;
}

export interface QueueGauges {
  readonly depth: number;
  /** 0 for an empty queue: nothing is waiting. */
  readonly oldestAgeSeconds: number;
}

export function queueGauges(row: ScrapeRow, now: number): QueueGauges {
  return { depth: row.queueDepth, oldestAgeSeconds: row.oldestQueuedAt === null ? 0 : Math.max(0, now - row.oldestQueuedAt) };
}

export interface KeyGauges {
  readonly ages: readonly { readonly kid: string; readonly state: string; readonly seconds: number }[];
  readonly countsByState: ReadonlyMap<string, number>;
  /**
   * The `next` key that may be activated soonest and the seconds until it may (0: now); null when no key is staged,
   * so the series is absent and an alert on `absent(…)` says that no rotation is prepared.
   */
  readonly nextActivation: { readonly kid: string; readonly seconds: number } | null;
}

export function keyGauges(keys: readonly ScrapedKey[], now: number): KeyGauges {
  const countsByState = new Map<string, number>();
  for (const key of keys) countsByState.set(key.state, (countsByState.get(key.state) ?? 0) + 1);
  const soonest = keys.filter((key) => key.state === 'next').sort((a, b) => a.usableFrom - b.usableFrom)[0];
  return {
    ages: keys.map((key) => ({ kid: key.kid, state: key.state, seconds: Math.max(0, now - key.createdAt) })),
    countsByState,
    nextActivation: soonest ? { kid: soonest.kid, seconds: Math.max(0, soonest.usableFrom - now) } : null,
  };
}

/** The pool counts pg keeps (`totalCount`, `idleCount`, `waitingCount`) and its size. */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options?: { readonly max?: number };
}

export interface PoolGauges {
  readonly max: number;
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** pg's counts as they are; `max` is 1 on the embedded database (PGlite has a single session behind its socket). */
export function poolGauges(pool: PoolCounts): PoolGauges {
  return { max: pool.options?.max ?? 0, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
