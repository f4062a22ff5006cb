import type { DataSource } from 'typeorm';
import type { ScrapeRow } from './metric-values';

/**
 * Everything a scrape reads, in one round trip: the queue's depth and its oldest job's queue time, and the signing
 * keys still published (timestamps as epoch seconds, so no time zone is parsed). Read-only, outside any transaction.
 */
const SCRAPE = `
SELECT (SELECT count(*) FROM ci_pending_builds)::int AS queue_depth,
       (SELECT extract(epoch FROM min(coalesce(b.queued_at, q.created_at)))::float8
          FROM ci_pending_builds q JOIN ci_builds b ON b.id = q.build_id) AS oldest_queued_at,
       (SELECT coalesce(json_agg(json_build_object('kid', k.kid, 'state', k.state,
                                                   'createdAt', extract(epoch FROM k.created_at),
                                                   'usableFrom', extract(epoch FROM k.usable_from)) ORDER BY k.id), '[]'::json)
          FROM ci_jwt_signing_keys k
         WHERE k.state IN ('next', 'active') OR (k.state = 'retired' AND k.published_until > $1)) AS keys`;

interface Row {
  queue_depth: number;
  oldest_queued_at: number | null;
  keys: ScrapeRow['keys'];
}

export async function readScrapeRow(db: DataSource, now: Date): Promise<ScrapeRow> {
  const [row]: Row[] = await db.query(SCRAPE, [now]);
  return {
    queueDepth: row.queue_depth,
    oldestQueuedAt: row.oldest_queued_at === null ? null : Number(row.oldest_queued_at),
    keys: row.keys.map((key) => ({ ...key, createdAt: Number(key.createdAt), usableFrom: Number(key.usableFrom) })),
  };
}
