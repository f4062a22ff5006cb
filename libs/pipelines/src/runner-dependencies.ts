import type { JobDefinition } from '@lanyard/ci-config';
import type { RunnerDependency } from './runner-artifacts';

/** A finished job of the same pipeline (its latest try) whose artifacts another job may download. */
export interface DependencyCandidate {
  readonly id: number;
  readonly name: string;
  readonly stageIdx: number;
  /** The job's archive, when it has artifacts that have not expired. */
  readonly artifactsFile: { readonly filename: string; readonly size: number } | null;
}

/**
 * GitLab's `Ci::BuildDependencies#local`: `dependencies: []` downloads nothing; a job with `needs` downloads the needs
 * that keep `artifacts: true`, any other job every earlier-stage job; `dependencies:` then narrows that to its names.
 */
export function selectDependencies(
  job: Pick<JobDefinition, 'needs' | 'dependencies'> & { readonly stageIdx: number },
  candidates: readonly DependencyCandidate[],
): DependencyCandidate[] {
  if (job.dependencies && job.dependencies.length === 0) return [];
  const withArtifacts = new Set((job.needs ?? []).filter((need) => need.artifacts).map((need) => need.job));
  const chosen = job.needs
    ? candidates.filter((candidate) => withArtifacts.has(candidate.name))
    : candidates.filter((candidate) => candidate.stageIdx < job.stageIdx);
  const named = job.dependencies ? new Set(job.dependencies) : null;
  return named ? chosen.filter((candidate) => named.has(candidate.name)) : chosen;
}

/**
 * GitLab's `Dependency` entities: each carries the running job's own token (GitLab's
 * `ci_expose_running_job_token_for_artifacts`), and `artifacts_file` only when there is an archive to download.
 */
export function buildRunnerDependencies(dependencies: readonly DependencyCandidate[], runningJobToken: string): RunnerDependency[] {
  return dependencies.map((dependency) => ({
    id: dependency.id,
    name: dependency.name,
    token: runningJobToken,
    ...(dependency.artifactsFile ? { artifacts_file: { ...dependency.artifactsFile } } : {}),
  }));
}
