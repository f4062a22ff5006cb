import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'disabled' | 'refused' | 'allowed';

const BEARER = /^Bearer +(\S+) *$/i;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape: nobody while `LANYARD_METRICS_TOKEN` is unset (the endpoint does not exist), else only a request
 * with `Authorization: Bearer <that token>`. Compared as digests in constant time, so timing reveals nothing of it.
 */
export function metricsAccess(expectedToken: string | undefined, authorization: string | undefined): MetricsAccess {
  if (expectedToken === undefined) return 'disabled';
  const presented = BEARER.exec(authorization ?? '')?.[1];
  if (presented === undefined) return 'refused';
  return timingSafeEqual(digest(presented), digest(expectedToken)) ? 'allowed' : 'refused';
}
