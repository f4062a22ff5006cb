import type { RetryDefinition } from '@lanyard/ci-config';

export interface FailedJob {
  readonly retry: RetryDefinition | null;
  readonly failureReason: string;
  /** What the runner reported; null when it sent none. */
  readonly exitCode: number | null;
  /** How many earlier copies of the job this pipeline already retried. */
  readonly retriesCount: number;
}

/**
 * GitLab's `Gitlab::Ci::Build::AutoRetry#allowed?`: a failed job is retried while it has retries left (`retry:max`),
 * when its failure reason is one of `retry:when` (or that lists `always`) and, with `retry:exit_codes`, its exit code
 * is one of them.
 */
export function autoRetryAllowed(job: FailedJob): boolean {
  if (!job.retry) return false;
  const { max, when, exitCodes } = job.retry;
  const onReason = when.includes('always') || when.includes(job.failureReason);
  const onExitCode = exitCodes.length === 0 || (job.exitCode !== null && exitCodes.includes(job.exitCode));
  return onReason && onExitCode && max > job.retriesCount;
}

/** GitLab's `allowed_to_fail_with_code?`: a failure with one of `allow_failure:exit_codes` is allowed. */
export function failureAllowedByExitCode(exitCodes: readonly number[] | null, exitCode: number | null): boolean {
  return exitCode !== null && (exitCodes ?? []).includes(exitCode);
}
