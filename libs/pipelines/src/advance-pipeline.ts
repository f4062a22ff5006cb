import { BuildStatus, PipelineStatus, isFinished } from './build-status';
import { COMPLETED_STATUSES, type CompositeStatus, compositeStatus } from './status-composite';

/** GitLab's job-level `when` (`never` exists only in rules, which never create the job). */
export type BuildWhen = 'on_success' | 'on_failure' | 'always' | 'manual' | 'delayed';

export interface StagedBuild {
  readonly id: number;
  readonly stageIdx: number;
  readonly status: BuildStatus;
  /** Needed only when another job's `needs` names it. */
  readonly name?: string;
  /** Default `on_success`. */
  readonly when?: BuildWhen;
  /** Whether its failure leaves the pipeline successful (a manual job's default is true). Default false. */
  readonly allowFailure?: boolean;
  /** The names of the jobs it needs (GitLab's DAG); absent or null: it waits for every earlier stage. */
  readonly needs?: readonly string[] | null;
}

export interface PipelineAdvance {
  readonly pipelineStatus: PipelineStatus;
  /** Builds that may start now: what they wait for has finished as their `when` requires. */
  readonly toPending: number[];
  /** Builds that will never run: what they wait for ended in a way their `when` does not run after. */
  readonly toSkipped: number[];
  /** `when: manual` builds now waiting for someone to play them. */
  readonly toManual: number[];
  /** `when: delayed` builds now waiting for their `start_in` (the caller sets when they start). */
  readonly toScheduled: number[];
}

/** GitLab's `ProcessBuildService#valid_statuses_for_build`: what must come before for a job to start. */
function startsAfter(build: StagedBuild): readonly CompositeStatus[] {
  switch (build.when ?? 'on_success') {
    case 'on_failure':
      return ['failed'];
    case 'always':
      return ['success', 'failed', 'skipped'];
    default:
      // A DAG job needs its needs to have succeeded; a skipped earlier stage does not hold a stage job back.
      return build.needs ? ['success'] : ['success', 'skipped'];
  }
}

/**
 * GitLab's pipeline processing (`Ci::PipelineProcessing::AtomicProcessingService`): a waiting (`created`) job is
 * decided once what it waits for has completed, the jobs of the earlier stages or, with `needs`, only those. Their
 * composite status (failures of jobs that may fail count as successes, manual jobs that may fail are ignored, a
 * blocking manual job holds everything after it) decides whether it starts (`pending`, `manual`, `scheduled`) or is
 * skipped. A job that runs only after success is skipped as soon as an earlier job fails, without waiting for the
 * others (the outcome cannot change). A job waiting after a canceled one is skipped: `canceled` is none of the
 * statuses any `when` starts after (a canceled pipeline's waiting jobs are canceled with it, before this runs).
 * Pure: given the builds as they are, returns what changes.
 */
export function advancePipeline(builds: readonly StagedBuild[]): PipelineAdvance {
  if (builds.length === 0) return { pipelineStatus: 'skipped', toPending: [], toSkipped: [], toManual: [], toScheduled: [] };
  // A job waiting for its resource group is on its way to the queue: for what follows it, it is pending.
  const status = new Map(
    builds.map((build): [number, BuildStatus] => [build.id, build.status === 'waiting_for_resource' ? 'pending' : build.status]),
  );
  const byName = new Map(builds.filter((build) => build.name !== undefined).map((build) => [build.name as string, build]));
  const current = (build: StagedBuild) => ({ status: status.get(build.id) as BuildStatus, allowFailure: build.allowFailure ?? false });
  const canceled = builds.some((build) => build.status === 'canceled');
  const changes: PipelineAdvance = { pipelineStatus: 'created', toPending: [], toSkipped: [], toManual: [], toScheduled: [] };

  const decide = (build: StagedBuild): boolean => {
    const before = build.needs
      ? build.needs.flatMap((name) => (byName.has(name) ? [byName.get(name) as StagedBuild] : []))
      : builds.filter((other) => other.stageIdx < build.stageIdx);
    const prior = compositeStatus(before.map(current)) ?? 'success';
    const when = build.when ?? 'on_success';
    const failedForGood = before.some((other) => current(other).status === 'failed' && !current(other).allowFailure);
    const onlyAfterSuccess = when === 'on_success' || when === 'manual' || when === 'delayed';
    if (!COMPLETED_STATUSES.includes(prior) && !(onlyAfterSuccess && failedForGood)) return false;
    const next: BuildStatus = !startsAfter(build).includes(prior)
      ? 'skipped'
      : when === 'manual'
        ? 'manual'
        : when === 'delayed'
          ? 'scheduled'
          : 'pending';
    status.set(build.id, next);
    const list = { skipped: changes.toSkipped, manual: changes.toManual, scheduled: changes.toScheduled, pending: changes.toPending }[next];
    list.push(build.id);
    return true;
  };

  // Stage by stage; within a stage, again until nothing changes, so a job needing a same-stage job follows it.
  const stages = [...new Set(builds.map((build) => build.stageIdx))].sort((a, b) => a - b);
  for (const stage of stages) {
    let waiting = builds.filter((build) => build.stageIdx === stage && build.status === 'created');
    for (let changed = true; changed && waiting.length > 0;) {
      const still = waiting.filter((build) => !decide(build));
      changed = still.length < waiting.length;
      waiting = still;
    }
  }
  return { ...changes, pipelineStatus: pipelineStatusOf(builds, builds.map(current), canceled) };
}

/** Lanyard's pipeline status, from its jobs after the changes. */
function pipelineStatusOf(
  builds: readonly StagedBuild[],
  jobs: readonly { status: BuildStatus; allowFailure: boolean }[],
  canceled: boolean,
): PipelineStatus {
  // A failure that is allowed counts as a success; a manual job that may fail does not hold the pipeline.
  const statuses = jobs.map(({ status, allowFailure }): BuildStatus =>
    allowFailure && (status === 'failed' || status === 'canceled') ? 'success' : allowFailure && status === 'manual' ? 'skipped' : status,
  );
  const any = (wanted: BuildStatus) => statuses.includes(wanted);
  // A job that failed when it was created, in a stage not reached yet, does not fail the pipeline before its turn.
  const reached = Math.min(
    ...builds.filter((_, i) => statuses[i] !== 'success' && statuses[i] !== 'skipped').map((build) => build.stageIdx),
  );
  if (statuses.some((status, i) => status === 'failed' && builds[i].stageIdx <= reached)) {
    return any('pending') || any('running') ? 'running' : 'failed';
  }
  if (any('running')) return 'running';
  if (statuses.every(isFinished)) {
    if (canceled) return 'canceled';
    return statuses.every((status) => status === 'skipped') ? 'skipped' : 'success';
  }
  if (any('pending')) return any('success') ? 'running' : 'pending';
  if (any('manual')) return 'manual';
  if (any('scheduled')) return 'scheduled';
  return 'created';
}
