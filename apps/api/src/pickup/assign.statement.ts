import { PREPARED_MARK } from '../database/prepared-statements';
import type { IssuedTokens } from '../id-tokens/id-token.service';
import type { SqlSession } from './pickup-session';

/** What a pickup writes once it has decided: who runs the job, with which job token, until when, and its tokens' audit. */
export interface JobAssignment {
  readonly buildId: number;
  readonly projectId: number;
  readonly runnerId: number;
  readonly tokenDigest: string;
  readonly startedAt: Date;
  readonly timeoutSeconds: number;
  /** Only tokens handed to a runner are audited: these rows commit with the assignment, or not at all. */
  readonly issued: IssuedTokens;
}

/**
 * The pickup's one write: the job runs, its tokens are audited (never the tokens themselves), and its pipeline is
 * running (no lock needed: the update is idempotent). The job is already off the queue (the claim deleted its row), in
 * the same transaction. Committed rendered as `assign.sql`.
 */
export const ASSIGN_STATEMENT = `${PREPARED_MARK}WITH build AS (
  UPDATE ci_builds SET status = 'running', runner_id = $3, token_digest = $4, started_at = $5, timeout = $6
   WHERE id = $1 RETURNING pipeline_id
), issuances AS (
  INSERT INTO ci_id_token_issuances (jti, build_id, project_id, variable, aud, sub, kid, iat, exp)
  SELECT jti, $1, $2, variable, aud::jsonb, sub, $7, iat, exp
    FROM unnest($8::uuid[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[]) AS t (jti, variable, aud, sub, iat, exp)
)
UPDATE ci_pipelines SET status = 'running', started_at = coalesce(started_at, $5)
 WHERE id = (SELECT pipeline_id FROM build) AND status IN ('created', 'pending')`;

export async function assignJob(session: SqlSession, assignment: JobAssignment): Promise<void> {
  const { tokens, kid } = assignment.issued;
  const column = <T>(pick: (token: IssuedTokens['tokens'][number]) => T) => tokens.map(pick);
  await session.query(ASSIGN_STATEMENT, [
    assignment.buildId,
    assignment.projectId,
    assignment.runnerId,
    assignment.tokenDigest,
    assignment.startedAt,
    assignment.timeoutSeconds,
    kid,
    column(({ claims }) => claims.jti),
    column(({ variable }) => variable),
    column(({ claims }) => JSON.stringify('aud' in claims ? claims.aud : null)),
    column(({ claims }) => claims.sub),
    column(({ claims }) => claims.iat),
    column(({ claims }) => claims.exp),
  ]);
}
