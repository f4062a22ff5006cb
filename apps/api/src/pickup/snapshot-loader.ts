import type { JobSnapshot } from '@lanyard/pickup';
import { utcDate } from '../clock/clock';
import type { Runner } from '../runners/runner.entity';
import type { SqlSession } from './pickup-session';
import { type JobColumns, type SnapshotRow, snapshotOf } from './snapshot-row';
import { PREVIEW_STATEMENT, claimStatement } from './snapshot.statement';

export interface ClaimedJob {
  readonly snapshot: JobSnapshot;
  /** The signing key the claim found active and share-locked until the transaction ends; null if none. */
  readonly lockedSignerKid: string | null;
}

/**
 * Claims the runner's next job and reads its snapshot, in one statement that writes nothing but the queue row it
 * takes: null when nothing in the runner's scope is queued (or the runner may no longer take jobs). `signerKid`, the
 * key the tokens will be signed with, is share-locked for a job that mints any.
 */
export async function claimSnapshot(session: SqlSession, runner: Runner, signerKid: string | null, now: Date): Promise<ClaimedJob | null> {
  const scope = runner.runnerType === 'group_type' ? runner.namespaceId : runner.runnerType === 'project_type' ? runner.projectId : null;
  const rows = await session.query<SnapshotRow>(claimStatement(runner.runnerType), [
    scope,
    runner.id,
    runner.tokenDigest,
    utcDate(now),
    signerKid,
  ]);
  if (rows.length === 0) return null;
  const snapshot = snapshotOf(rows[0], {
    id: runner.id,
    description: runner.description,
    gitlabHosted: runner.gitlabHosted,
    maximumTimeout: runner.maximumTimeout,
    tags: runner.tagList,
  });
  return { snapshot, lockedSignerKid: rows[0].signer_state === 'active' ? signerKid : null };
}

/** The snapshot of a job not created yet, read as a claimed one is: the token preview's. */
export async function previewSnapshot(session: SqlSession, draft: JobColumns, now: Date): Promise<JobSnapshot> {
  const rows = await session.query<SnapshotRow>(PREVIEW_STATEMENT, [JSON.stringify(draft), utcDate(now)]);
  return snapshotOf(rows[0], null);
}
