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
 * succeeded, then become `pending`. A failed job fails the pipeline, and the jobs still waiting are skipped.
 * Pure: given the builds as they are, returns what changes.
 */
export function advancePipeline(builds: readonly StagedBuild[]): PipelineAdvance {
  if (builds.length === 0) return { pipelineStatus: 'skipped', toPending: [], toSkipped: [] };
  const stages = [...new Set(builds.map((build) => build.stageIdx))].sort((a, b) => a - b);
  const current = stages.find((stage) => !builds.every((build) => build.stageIdx !== stage || build.status === 'success' || build.status === 'skipped'));
  // A job created failed in a later stage (its environment could not be created) does not stop the stages before it.
  const failed = current !== undefined && builds.some((build) => build.status === 'failed' && build.stageIdx <= current);
  if (failed) {
    const toSkipped = builds.filter((build) => build.status === 'created').map((build) => build.id);
    const stillActive = builds.some((build) => build.status === 'pending' || build.status === 'running');
    return { pipelineStatus: stillActive ? 'running' : 'failed', toPending: [], toSkipped };
  }
  const canceled = builds.some((build) => build.status === 'canceled');
  const toPending: number[] = [];
  for (const stage of stages) {
    const inStage = builds.filter((build) => build.stageIdx === stage);
    if (inStage.every((build) => build.status === 'success' || build.status === 'skipped')) continue;
    if (!canceled) toPending.push(...inStage.filter((build) => build.status === 'created').map((build) => build.id));
    break;
  }
  const statuses = builds.map((build) => (toPending.includes(build.id) ? 'pending' : build.status));
  return { pipelineStatus: pipelineStatusOf(statuses, canceled), toPending, toSkipped: [] };
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
