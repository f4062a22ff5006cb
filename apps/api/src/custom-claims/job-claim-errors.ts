import type { JobDefinition } from '@lanyard/ci-config';
import { type CustomClaimLevel, jobClaimLevel, mergeCustomClaims } from '@lanyard/id-tokens';

/**
 * Errors for jobs whose `jwt_claims` (their own or `default:`'s) break the custom-claims rule under the project's
 * stored `levels`, each naming the job, the claim and the level that locked it. Problems of the stored levels
 * themselves are the API's to report, not the YAML's.
 */
export function jobClaimErrors(levels: readonly CustomClaimLevel[], jobs: readonly JobDefinition[]): string[] {
  return jobs.flatMap((job) => {
    if (!job.jwtClaims) return [];
    const merged = mergeCustomClaims([...levels, jobClaimLevel(job.name, job.jwtClaims)]);
    if (merged.ok) return [];
    return merged.errors.filter((error) => error.level.kind === 'job').map((error) => `jobs:${job.name}:jwt_claims ${error.message}`);
  });
}
