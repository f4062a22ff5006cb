import type { PreviewAuditToken } from '@lanyard/id-tokens';
import type { ServerFailureReason } from '@lanyard/pipelines';
import { EntityManager } from 'typeorm';

/** One preview as the audit keeps it (`ci_id_token_previews`). */
export interface PreviewAuditEntry {
  readonly projectId: number;
  readonly userId: number;
  readonly at: Date;
  readonly ref: string;
  readonly sha: string;
  readonly job: string;
  readonly pipelineSource: string;
  /** The caller sent `content` instead of previewing the file at `ref`. */
  readonly unsavedConfig: boolean;
  readonly tokens: readonly PreviewAuditToken[];
  /** Why a runner taking the job would fail it; the preview then showed no token. */
  readonly failureReason: ServerFailureReason | null;
}

export async function recordPreview(db: EntityManager, entry: PreviewAuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO ci_id_token_previews (project_id, user_id, created_at, ref, sha, job, pipeline_source, unsaved_config, tokens, failure_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
    [
      entry.projectId,
      entry.userId,
      entry.at,
      entry.ref,
      entry.sha,
      entry.job,
      entry.pipelineSource,
      entry.unsavedConfig,
      JSON.stringify(entry.tokens),
      entry.failureReason,
    ],
  );
}

export interface PreviewAuditRow {
  id: number;
  created_at: Date;
  user_id: number | null;
  username: string | null;
  name: string | null;
  ref: string;
  sha: string;
  job: string;
  pipeline_source: string;
  unsaved_config: boolean;
  tokens: PreviewAuditToken[];
  failure_reason: string | null;
}

/** Newest first, as GitLab lists audit events. */
export async function listPreviews(
  db: EntityManager,
  projectId: number,
  offset: number,
  limit: number,
): Promise<[PreviewAuditRow[], number]> {
  const rows: PreviewAuditRow[] = await db.query(
    `SELECT p.id, p.created_at, u.id AS user_id, u.username, u.name, p.ref, p.sha, p.job, p.pipeline_source, p.unsaved_config, p.tokens, p.failure_reason
       FROM ci_id_token_previews p LEFT JOIN users u ON u.id = p.user_id
      WHERE p.project_id = $1 ORDER BY p.id DESC OFFSET $2 LIMIT $3`,
    [projectId, offset, limit],
  );
  const [{ count }]: { count: number }[] = await db.query('SELECT count(*)::int AS count FROM ci_id_token_previews WHERE project_id = $1', [
    projectId,
  ]);
  return [rows, count];
}
