/**
 * GitLab's limits for jobs nothing will ever finish (`Ci::StuckBuilds::DropRunningService`, `DropPendingService`):
 * past them the job fails with `stuck_or_timeout_failure`.
 */
export const STUCK_JOB_LIMITS = {
  /** `BUILD_RUNNING_OUTDATED_TIMEOUT`: the grace a running job gets after its timeout, and without a report from its runner. */
  runningGraceSeconds: 60 * 60,
  /** `BUILD_PENDING_OUTDATED_TIMEOUT`: a job pending this long fails, whatever runners there are. */
  pendingOutdatedSeconds: 24 * 60 * 60,
  /** `BUILD_PENDING_STUCK_TIMEOUT`: a job pending this long fails when no online runner can take it (`stuck?`). */
  pendingStuckSeconds: 60 * 60,
  /** `Ci::Runner::ONLINE_CONTACT_TIMEOUT`: a runner is online when it asked for jobs this recently. */
  runnerOnlineSeconds: 2 * 60 * 60,
  /** A running job without a recorded timeout is held to GitLab's default (`ChronicDuration` of 1 hour). */
  defaultTimeoutSeconds: 60 * 60,
} as const;

/** The instants, seen from `now`, before which each rule applies. */
export interface StuckJobCutoffs {
  /** A running job whose runner reported nothing since then, and whose timeout plus the grace passed, is stuck. */
  readonly lastReportBefore: Date;
  /** A job pending since before then is failed whatever runners there are. */
  readonly pendingOutdatedBefore: Date;
  /** A job pending since before then is failed when no runner online since `runnersOnlineSince` can take it. */
  readonly pendingStuckBefore: Date;
  readonly runnersOnlineSince: Date;
}

export function stuckJobCutoffs(now: Date): StuckJobCutoffs {
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  return {
    lastReportBefore: ago(STUCK_JOB_LIMITS.runningGraceSeconds),
    pendingOutdatedBefore: ago(STUCK_JOB_LIMITS.pendingOutdatedSeconds),
    pendingStuckBefore: ago(STUCK_JOB_LIMITS.pendingStuckSeconds),
    runnersOnlineSince: ago(STUCK_JOB_LIMITS.runnerOnlineSeconds),
  };
}
