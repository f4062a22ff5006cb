import type {
  ArtifactsDefinition,
  CacheDefinition,
  ImageDefinition,
  JobDefinition,
  NeedDefinition,
  ParallelDefinition,
  ServiceDefinition,
} from '@lanyard/ci-config';
import { type RunnerArtifact, type RunnerCache, type RunnerDependency, buildRunnerArtifacts, buildRunnerCaches } from './runner-artifacts';
import { type DependencyCandidate, buildRunnerDependencies, selectDependencies } from './runner-dependencies';
import {
  type RunnerImage,
  type RunnerService,
  type RunnerStep,
  buildRunnerImage,
  buildRunnerServices,
  buildRunnerSteps,
} from './runner-job-spec';

/**
 * What a job keeps for its runner when the pipeline is created (GitLab's `config_options`): its definition's runner
 * keywords, with what GitLab decides at creation already decided (cache keys from `key:files`, tags expanded).
 */
export interface JobRunnerOptions {
  readonly beforeScript: readonly string[];
  readonly afterScript: readonly string[] | null;
  readonly image: ImageDefinition | null;
  readonly services: readonly ServiceDefinition[];
  readonly artifacts: ArtifactsDefinition | null;
  readonly cache: readonly CacheDefinition[];
  /** One per cache: its key as seeded at creation (`seedCacheKey`), before the pickup's suffixes. */
  readonly cacheKeys: readonly string[];
  /** Expanded against the job's variables at creation; the runner's `tag_list` must hold them all. */
  readonly tags: readonly string[];
  readonly needs: readonly NeedDefinition[] | null;
  readonly dependencies: readonly string[] | null;
  readonly coverage: string | null;
  readonly interruptible: boolean;
  readonly parallel: ParallelDefinition | null;
}

/** A job's runner options from its definition and what its creation seeded. */
export function runnerOptionsOf(
  job: JobDefinition,
  seeded: { readonly cacheKeys: readonly string[]; readonly tags: readonly string[] },
): JobRunnerOptions {
  return {
    beforeScript: job.beforeScript,
    afterScript: job.afterScript,
    image: job.image,
    services: job.services,
    artifacts: job.artifacts,
    cache: job.cache,
    cacheKeys: seeded.cacheKeys,
    tags: seeded.tags,
    needs: job.needs,
    dependencies: job.dependencies,
    coverage: job.coverage,
    interruptible: job.interruptible,
    parallel: job.parallel,
  };
}

/** The payload's job-specific fields, in the shape of the runner's `spec.Job`. */
export interface RunnerJobSpec {
  readonly steps: RunnerStep[];
  readonly image: RunnerImage | null;
  readonly services: RunnerService[];
  readonly artifacts: RunnerArtifact[] | null;
  readonly cache: RunnerCache[];
  readonly dependencies: RunnerDependency[];
}

export interface RunnerJobSpecInput {
  readonly script: readonly string[];
  /** Null for a job created before its options were kept: its script alone. */
  readonly options: JobRunnerOptions | null;
  readonly stageIdx: number;
  readonly timeoutSeconds: number;
  /** Whether the pipeline runs for a protected ref: which of the cache's protected and unprotected keys it uses. */
  readonly protectedRef: boolean;
  readonly jobToken: string;
  /** Jobs of the same pipeline whose artifacts it may download. */
  readonly dependencyCandidates: readonly DependencyCandidate[];
}

/** GitLab's `Ci::Build` payload methods (`steps`, `image`, `services`, `artifacts`, `cache`, `dependencies`) for one job. */
export function buildRunnerJobSpec(input: RunnerJobSpecInput): RunnerJobSpec {
  const options = input.options ?? noOptions();
  return {
    steps: buildRunnerSteps(
      { beforeScript: options.beforeScript, script: input.script, afterScript: options.afterScript },
      input.timeoutSeconds,
    ),
    image: buildRunnerImage(options.image),
    services: buildRunnerServices(options.services),
    artifacts: buildRunnerArtifacts(options.artifacts),
    // Lanyard has no cache clearing (`jobs_cache_index`) and always separates protected caches, GitLab's default.
    cache: buildRunnerCaches(options.cache, options.cacheKeys, {
      jobsCacheIndex: null,
      separatedCaches: true,
      protectedRef: input.protectedRef,
    }),
    dependencies: buildRunnerDependencies(
      selectDependencies(
        { needs: options.needs, dependencies: options.dependencies, stageIdx: input.stageIdx },
        input.dependencyCandidates,
      ),
      input.jobToken,
    ),
  };
}

function noOptions(): JobRunnerOptions {
  return {
    beforeScript: [],
    afterScript: null,
    image: null,
    services: [],
    artifacts: null,
    cache: [],
    cacheKeys: [],
    tags: [],
    needs: null,
    dependencies: null,
    coverage: null,
    interruptible: false,
    parallel: null,
  };
}
