import type { JobDefinition } from '@lanyard/ci-config';
import type { BuildMetadata } from './build-metadata.entity';
import type { JobEnvironment } from './environment-names';

/** A job's `ci_builds_metadata` as created from its definition: what its pickup (and the token preview) reads. */
export function jobMetadataOf(job: JobDefinition, environment: JobEnvironment | null): Omit<BuildMetadata, 'buildId'> {
  return {
    script: [...job.script],
    variables: { ...job.variables },
    idTokens: { ...job.idTokens },
    secrets: { ...job.secrets },
    jwtClaims: job.jwtClaims ? { ...job.jwtClaims } : null,
    // The expanded name: what the environment record, protection, claims and CI_ENVIRONMENT_* use from now on.
    environment: environment?.valid ? environment.definition : job.environment,
    jobTimeout: job.timeoutSeconds ?? null,
  };
}
