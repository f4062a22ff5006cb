import type { BuildStatus } from './build-status';

/**
 * The most a job's stored log holds. GitLab's default (`ci_jobs_trace_size_limit`, 100 MB) suits object storage,
 * not rows in PostgreSQL; 16 MiB is four times the runner's own default (`output_limit`, 4 MiB), so a runner left at
 * its defaults never reaches it.
 */
export const JOB_LOG_LIMIT_BYTES = 16 * 1024 * 1024;

/** GitLab asks runners to send their log this often (seconds) when nobody watches it (`Trace::UPDATE_FREQUENCY_DEFAULT`). */
export const TRACE_UPDATE_INTERVAL_SECONDS = 60;

/** The line the runner writes when a log reaches its limit, with the server's limit. */
export function logLimitMessage(limit: number): string {
  return (
    `\n\u001b[33;1mJob's log exceeded limit of ${limit} bytes.\n` +
    'Job execution will continue but no more output will be collected.\u001b[0;m\n'
  );
}

/**
 * `Content-Range: <start>-<end>` as the runner sends it. Only the start counts: the runner's end is off by one
 * (gitlab-runner#3275), so the end is the start plus the body's length, as GitLab computes it.
 */
export function contentRangeStart(header: string | undefined): number | 'missing' | 'malformed' {
  if (header === undefined) return 'missing';
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(header.trim());
  return match ? Number(match[1]) : 'malformed';
}

/** What of an append is stored: all of it under the limit; at the limit, what fits and the limit line, then nothing. */
export function limitAppend(storedBytes: number, emit: string, truncated: boolean, limit = JOB_LOG_LIMIT_BYTES) {
  if (truncated) return { store: '', truncated: true };
  if (storedBytes + emit.length <= limit) return { store: emit, truncated: false };
  return { store: cutWholeCharacters(emit, Math.max(0, limit - storedBytes)) + logLimitMessage(limit), truncated: true };
}

/** At most `length` bytes of a byte string, not ending inside a UTF-8 character. */
function cutWholeCharacters(bytes: string, length: number): string {
  let end = length;
  if (end < bytes.length) {
    // Back off continuation bytes (10xxxxxx), then the lead byte of the character they belonged to.
    while (end > 0 && (bytes.charCodeAt(end) & 0xc0) === 0x80) end--;
  }
  return bytes.slice(0, end);
}

/** A job-token request's fate: GitLab's `authenticate_job!`. */
export type JobTokenDecision = 'accepted' | 'refused' | 'not_running';

/**
 * The statuses in which a runner still works on a job (GitLab's `processing_on_runner?`): `canceling` is GitLab's
 * graceful cancel, which the runner learns from `Job-Status` and answers by running `after_script`.
 */
export const PROCESSING_ON_RUNNER_STATUSES: readonly string[] = ['running', 'canceling'];

/**
 * Whether a runner holding `presentedDigest` may act on the job: only with that job's own token, and only while it
 * works on it. A job that stopped answers with its status (`Job-Status`), so the runner stops too.
 */
export function decideJobToken(
  job: { readonly tokenDigest: string | null; readonly status: string } | null,
  presentedDigest: string,
): JobTokenDecision {
  if (!job || job.tokenDigest === null || job.tokenDigest !== presentedDigest) return 'refused';
  return PROCESSING_ON_RUNNER_STATUSES.includes(job.status) ? 'accepted' : 'not_running';
}

/** The runner sent its final state again (its first answer was lost): the same state is answered, not refused. */
export function repeatsFinalState(status: BuildStatus, state: string | undefined): boolean {
  return (status === 'success' || status === 'failed') && state === status;
}
