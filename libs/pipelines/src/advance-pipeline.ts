import { BuildStatus, PipelineStatus, isFinished } from './build-status';

export interface StagedBuild {
  readonly id: number;
  readonly stageIdx: number;
  readonly status: BuildStatus;
}

export interface PipelineAdvance {
  readonly pipelineStatus: PipelineStatus;
  /** Builds whose stage may start now: every earlier stage succeeded. */
  readonly toPending: number[];
  /** Builds that will never run because an earlier job failed. */
  readonly toSkipped: number[];
}

/**
 * Stages run in order, as GitLab's: the jobs of a stage wait (`created`) until every job of the earlier stages has
 * succeeded, then become `pending`, all of them (a job created failed, whose environment could not be created, does
 * not hold its siblings back). A failed job fails the pipeline, and the jobs of later stages are skipped.
 * Pure: given the builds as they are, returns what changes.
 */
export function advancePipeline(builds: readonly StagedBuild[]): PipelineAdvance {
  if (builds.length === 0) return { pipelineStatus: 'skipped', toPending: [], toSkipped: [] };
  const done = (build: StagedBuild) => build.status === 'success' || build.status === 'skipped';
  // The first stage not entirely succeeded: every stage before it did, so its waiting jobs may start.
  const current = [...new Set(builds.map((build) => build.stageIdx))]
    .sort((a, b) => a - b)
    .find((stage) => builds.some((build) => build.stageIdx === stage && !done(build)));
  if (current === undefined)
    return {
      pipelineStatus: pipelineStatusOf(
        builds.map((build) => build.status),
        false,
      ),
      toPending: [],
      toSkipped: [],
    };
  const canceled = builds.some((build) => build.status === 'canceled');
  const failed = builds.some((build) => build.status === 'failed' && build.stageIdx <= current);
  const toPending = canceled
    ? []
    : builds.filter((build) => build.stageIdx === current && build.status === 'created').map((build) => build.id);
  const toSkipped = failed ? builds.filter((build) => build.stageIdx > current && build.status === 'created').map((build) => build.id) : [];
  const statuses = builds.map((build) =>
    toPending.includes(build.id) ? 'pending' : toSkipped.includes(build.id) ? 'skipped' : build.status,
  );
  if (failed)
    return {
      pipelineStatus: statuses.some((status) => status === 'pending' || status === 'running') ? 'running' : 'failed',
      toPending,
      toSkipped,
    };
  return { pipelineStatus: pipelineStatusOf(statuses, canceled), toPending, toSkipped };
}

function pipelineStatusOf(statuses: readonly BuildStatus[], canceled: boolean): PipelineStatus {
  if (statuses.some((status) => status === 'running')) return 'running';
  if (statuses.every(isFinished)) {
    if (canceled) return 'canceled';
    return statuses.every((status) => status === 'skipped') ? 'skipped' : 'success';
  }
  if (statuses.some((status) => status === 'pending')) {
    return statuses.some((status) => status === 'success') ? 'running' : 'pending';
  }
  return 'created';
}
