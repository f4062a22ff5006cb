import type { BuildStatus } from './build-status';

/** What a group of jobs amounts to, as GitLab's `Gitlab::Ci::Status::Composite` sees it. */
export type CompositeStatus = 'success' | 'skipped' | 'failed' | 'canceled' | 'created' | 'pending' | 'running' | 'manual' | 'scheduled';

/** The statuses after which a waiting job is decided: started or skipped (GitLab: `HasStatus::COMPLETED_STATUSES`). */
export const COMPLETED_STATUSES: readonly CompositeStatus[] = ['success', 'failed', 'canceled', 'skipped'];

export interface StatusWithAllowance {
  readonly status: BuildStatus;
  readonly allowFailure: boolean;
}

/**
 * GitLab's `Composite#status`: a failed or canceled job that may fail counts as a success with warnings, a manual
 * job that may fail is ignored; null for no jobs.
 */
export function compositeStatus(jobs: readonly StatusWithAllowance[]): CompositeStatus | null {
  if (jobs.length === 0) return null;
  const kinds = new Set<string>(
    jobs.map(({ status, allowFailure }) =>
      allowFailure && (status === 'failed' || status === 'canceled') ? 'warning' : allowFailure && status === 'manual' ? 'ignored' : status,
    ),
  );
  const passed = ['success', 'skipped', 'warning', 'ignored'];
  const onlyOf = (...allowed: string[]): boolean => [...kinds].every((kind) => allowed.includes(kind));
  const anyOf = (...wanted: string[]): boolean => wanted.some((kind) => kinds.has(kind));
  if (onlyOf('skipped', 'ignored')) return 'skipped';
  if (onlyOf(...passed)) return 'success';
  if (onlyOf('created', ...passed)) return 'created';
  if (onlyOf('canceled', ...passed)) return 'canceled';
  if (onlyOf('pending', 'created', ...passed)) return 'pending';
  if (anyOf('running', 'pending')) return 'running';
  if (anyOf('manual')) return 'manual';
  if (anyOf('scheduled')) return 'scheduled';
  if (anyOf('created')) return 'running';
  return 'failed';
}
