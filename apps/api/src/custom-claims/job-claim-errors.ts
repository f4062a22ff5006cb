import type { JobDefinition } from '@lanyard/ci-config';
import { jobClaimLevel, mergeCustomClaims, openClaimNameWarnings } from '@lanyard/id-tokens';
import type { ProjectClaimRules } from './custom-claims.service';

/**
 * Errors for jobs whose `jwt_claims` (their own or `default:`'s) break the custom-claims rule under the project's
 * stored levels, each naming the job, the claim and the level that locked it or the group that owns its name.
 * `codeNamespaceIds`: where the jobs' code comes from (a fork's namespace, for a fork merge-request pipeline). Problems
 * of the stored levels themselves are the API's to report, not the YAML's.
 */
export function jobClaimErrors(rules: ProjectClaimRules, jobs: readonly JobDefinition[], codeNamespaceIds: readonly number[]): string[] {
  return jobs.flatMap((job) => {
    if (!job.jwtClaims) return [];
    const merged = mergeCustomClaims([...rules.levels, jobClaimLevel(job.name, job.jwtClaims, codeNamespaceIds)], rules.names);
    if (merged.ok) return [];
    return merged.errors.filter((error) => error.level.kind === 'job').map((error) => `${jobClaimsLocation(job)} ${error.message}`);
  });
}

/** Lint's warnings for the names jobs set that any project could set too (open or unregistered). */
export function jobClaimWarnings(rules: ProjectClaimRules, jobs: readonly JobDefinition[]): string[] {
  return jobs.flatMap((job) =>
    Object.entries(job.jwtClaims ?? {}).flatMap(([key, value]) => openClaimNameWarnings(jobClaimsLocation(job), key, value, rules.names)),
  );
}

function jobClaimsLocation(job: JobDefinition): string {
  return `jobs:${job.name}:jwt_claims`;
}
