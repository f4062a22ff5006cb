import type { BuildStatus } from './build-status';

/**
 * GitLab's `Ci::HasStatus::AVAILABLE_STATUSES` (a job's `CommitStatus` and a pipeline share it): the `scope` values the
 * job lists take and the `status` values the pipeline list takes. Lanyard never sets some of them (`preparing`,
 * `waiting_for_callback`, `canceling`); asking for them is valid and finds nothing, as on GitLab.
 */
export const AVAILABLE_STATUSES = [
  'created',
  'waiting_for_resource',
  'preparing',
  'waiting_for_callback',
  'pending',
  'running',
  'success',
  'failed',
  'canceling',
  'canceled',
  'skipped',
  'manual',
  'scheduled',
] as const;
export const JOB_SCOPES = AVAILABLE_STATUSES;
export type JobScope = (typeof JOB_SCOPES)[number];

/** GitLab's `Ci::HasStatus::CANCELABLE_STATUSES`: what a pipeline's cancel stops (a manual job stays to be played). */
export const PIPELINE_CANCELABLE_STATUSES: readonly BuildStatus[] = ['created', 'waiting_for_resource', 'pending', 'running', 'scheduled'];

/** GitLab's job `cancel` event: the cancelable statuses and `manual`. Any other job is answered as it is. */
export const JOB_CANCELABLE_STATUSES: readonly BuildStatus[] = [...PIPELINE_CANCELABLE_STATUSES, 'manual'];

/** GitLab's `Ci::Build#retryable?`: a finished job that ran or was canceled, not already replaced by a copy. */
export function isRetryable(job: { readonly status: BuildStatus; readonly retried: boolean }): boolean {
  return !job.retried && (job.status === 'success' || job.status === 'failed' || job.status === 'canceled');
}

/** GitLab's `Ci::Build#erasable?`: a complete job with something to erase (Lanyard keeps no artifacts: its log). */
export function isErasable(job: { readonly status: BuildStatus; readonly hasLog: boolean }): boolean {
  const complete = job.status === 'success' || job.status === 'failed' || job.status === 'canceled' || job.status === 'skipped';
  return complete && job.hasLog;
}

/**
 * GitLab's `erase_build` (`Ci::BuildPolicy`), once the ref allows the caller to write its jobs: a maintainer's (or an
 * admin's), or a developer's for a job they started, on a ref that is not protected.
 */
export function mayEraseJob(input: {
  /** A maintainer of the project, or an admin (GitLab's `admin_build`). */
  readonly maintainer: boolean;
  readonly developer: boolean;
  readonly startedJob: boolean;
  readonly refProtected: boolean;
}): boolean {
  return input.maintainer || (input.developer && input.startedJob && !input.refProtected);
}
