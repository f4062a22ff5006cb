import type { JobDefinition } from '@lanyard/ci-config';
import { runnerOptionsOf } from '@lanyard/pipelines';
import type { BuildMetadata } from './build-metadata.entity';
import type { JobEnvironment } from './environment-names';

/** What a job's creation decided for its runner: cache keys from `key:files`, tags expanded (`RunnerOptionsSeed`). */
export interface SeededRunnerOptions {
  readonly cacheKeys: readonly string[];
  readonly tags: readonly string[];
}

/** A job's `ci_builds_metadata` as created from its definition: what its pickup (and the token preview) reads. */
export function jobMetadataOf(
  job: JobDefinition,
  environment: JobEnvironment | null,
  seeded: SeededRunnerOptions,
): Omit<BuildMetadata, 'buildId'> {
  return {
    script: [...job.script],
    variables: { ...job.variables },
    idTokens: { ...job.idTokens },
    secrets: { ...job.secrets },
    jwtClaims: job.jwtClaims ? { ...job.jwtClaims } : null,
    // The expanded name: what the environment record, protection, claims and CI_ENVIRONMENT_* use from now on.
    environment: environment?.valid ? environment.definition : job.environment,
    jobTimeout: job.timeoutSeconds ?? null,
    configOptions: runnerOptionsOf(job, seeded),
  };
}
