export type JobTimeoutSource = 'job_timeout_source' | 'project_timeout_source' | 'runner_timeout_source';

export interface JobTimeoutInput {
  /** The job's `timeout:` in seconds, as written (null: none). */
  readonly jobTimeout: number | null;
  /** The project's `build_timeout` now, not when the pipeline was created. */
  readonly projectTimeout: number;
  /** The runner's `maximum_timeout` (null or 0: no cap). */
  readonly runnerMaximumTimeout: number | null;
}

export interface JobTimeout {
  readonly seconds: number;
  readonly source: JobTimeoutSource;
}

/**
 * GitLab's `Ci::BuildMetadata#update_timeout_state`, run when a runner takes the job: the job's timeout, else the
 * project's, capped by the runner's maximum (`[(job || project), runner].compact.min_by(&:value)`; a tie keeps the
 * job's or project's). It bounds how long the job runs and how long its ID tokens live.
 */
export function decideJobTimeout(input: JobTimeoutInput): JobTimeout {
  const own: JobTimeout =
    input.jobTimeout !== null
      ? { seconds: input.jobTimeout, source: 'job_timeout_source' }
      : { seconds: input.projectTimeout, source: 'project_timeout_source' };
  const cap = input.runnerMaximumTimeout;
  return cap && cap > 0 && cap < own.seconds ? { seconds: cap, source: 'runner_timeout_source' } : own;
}
