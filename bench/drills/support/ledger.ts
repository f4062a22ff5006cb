import { decodeJwt } from 'jose';
import { Client } from 'pg';
import type { Delivery } from './fleet';

/** The drill's account of its jobs: what the database holds against what the runners received. */
export interface Ledger {
  readonly jobs: number;
  readonly delivered: number;
  readonly assignedTwice: number;
  readonly lost: number;
  readonly leftRunning: number;
  /** Jobs the service handed out (status, audited tokens) whose answer no runner received. */
  readonly lostAnswers: readonly LostAnswer[];
  readonly deliveredJtis: number;
  readonly duplicateJtis: number;
  readonly auditMismatches: number;
  readonly problems: string[];
}

export interface LostAnswer {
  readonly jobId: number;
  readonly status: string;
  readonly failureReason: string | null;
  readonly auditedTokens: number;
}

interface JobRow {
  id: string;
  status: string;
  failure_reason: string | null;
  jtis: string[];
}

/**
 * Reads every job of `pipelineIds` with its audit rows (`ci_id_token_issuances`) over a plain connection of the
 * drill's own and checks the promises: each job received once by one runner, none lost, none left running, one audit
 * row per delivered `jti` and none more, no `jti` twice. A job handed out whose answer was lost (a crash) is listed,
 * not counted as a problem, when `lostAnswersAllowed`; the drill then checks what became of it.
 */
export async function readLedger(
  databaseUrl: string,
  pipelineIds: readonly number[],
  deliveries: readonly Delivery[],
  options: { readonly finished: boolean; readonly lostAnswersAllowed: boolean },
): Promise<Ledger> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let rows: JobRow[];
  try {
    rows = (
      await client.query<JobRow>(
        `SELECT b.id, b.status, b.failure_reason,
                coalesce(array_agg(i.jti::text) FILTER (WHERE i.jti IS NOT NULL), '{}') AS jtis
           FROM ci_builds b LEFT JOIN ci_id_token_issuances i ON i.build_id = b.id
          WHERE b.pipeline_id = ANY($1::bigint[]) GROUP BY b.id`,
        [pipelineIds],
      )
    ).rows;
  } finally {
    await client.end();
  }
  const problems: string[] = [];
  const byJob = new Map<number, Delivery[]>();
  for (const delivery of deliveries) byJob.set(delivery.jobId, [...(byJob.get(delivery.jobId) ?? []), delivery]);
  const assignedTwice = [...byJob.values()].filter((list) => list.length > 1).length;
  if (assignedTwice) problems.push(`${assignedTwice} jobs were received by more than one runner (or twice)`);

  const jtiCount = new Map<string, number>();
  for (const token of deliveries.flatMap((delivery) => delivery.tokens)) {
    const jti = String(decodeJwt(token.jwt).jti);
    jtiCount.set(jti, (jtiCount.get(jti) ?? 0) + 1);
  }
  const duplicateJtis = [...jtiCount.values()].filter((count) => count > 1).length;
  if (duplicateJtis) problems.push(`${duplicateJtis} jti values were handed out more than once`);

  const known = new Set(rows.map((row) => Number(row.id)));
  const foreign = [...byJob.keys()].filter((id) => !known.has(id));
  if (foreign.length) problems.push(`${foreign.length} received jobs are not in the drill's pipelines (e.g. ${foreign[0]})`);

  let lost = 0;
  let leftRunning = 0;
  let auditMismatches = 0;
  const lostAnswers: LostAnswer[] = [];
  for (const row of rows) {
    const id = Number(row.id);
    const received = byJob.get(id);
    if (row.status === 'running') leftRunning += 1;
    if (!received) {
      if (row.jtis.length === 0) lost += 1;
      else lostAnswers.push({ jobId: id, status: row.status, failureReason: row.failure_reason, auditedTokens: row.jtis.length });
      continue;
    }
    const deliveredJtis = received.flatMap((delivery) => delivery.tokens.map((token) => String(decodeJwt(token.jwt).jti)));
    const audited = new Set(row.jtis);
    if (row.jtis.length !== deliveredJtis.length || deliveredJtis.some((jti) => !audited.has(jti))) auditMismatches += 1;
    if (options.finished && row.status !== 'success') problems.push(`job ${id} was received and reported done but is ${row.status}`);
  }
  if (lost) problems.push(`${lost} jobs were never handed out (lost)`);
  if (auditMismatches) problems.push(`${auditMismatches} received jobs do not have exactly one audit row per delivered jti`);
  if (lostAnswers.length && !options.lostAnswersAllowed)
    problems.push(`${lostAnswers.length} jobs were handed out (tokens audited) but no runner received them`);
  return {
    jobs: rows.length,
    delivered: deliveries.length,
    assignedTwice,
    lost,
    leftRunning,
    lostAnswers,
    deliveredJtis: jtiCount.size,
    duplicateJtis,
    auditMismatches,
    problems,
  };
}
