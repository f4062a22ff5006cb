import { type JobDefinition, isValidEnvironmentName } from '@lanyard/ci-config';
import { expandReferences } from '@lanyard/pipelines';
import type { EntityManager } from 'typeorm';
import type { Build } from './build.entity';

type ProgressionColumns = Pick<
  Build,
  'when' | 'schedulingType' | 'allowFailure' | 'allowFailureExitCodes' | 'startIn' | 'retry' | 'retried' | 'resourceGroupId'
>;

/**
 * The `ci_builds` columns that decide when a job starts and what its end means, from its definition; its resource
 * group is created on first use (GitLab's `Ci::ResourceGroup`, one per project and key).
 */
export async function progressionColumns(
  tx: EntityManager,
  projectId: number,
  job: JobDefinition,
  variablesFor: (job: JobDefinition) => Promise<ReadonlyMap<string, string>>,
): Promise<ProgressionColumns> {
  const key = job.resourceGroup === null ? null : await resourceGroupKey(job.resourceGroup, () => variablesFor(job));
  return {
    when: job.when,
    schedulingType: job.needs === null ? 'stage' : 'dag',
    allowFailure: job.allowFailure,
    allowFailureExitCodes: job.allowFailureExitCodes ? [...job.allowFailureExitCodes] : null,
    startIn: job.startInSeconds,
    retry: job.retry,
    retried: false,
    resourceGroupId: key === null ? null : await resourceGroupId(tx, projectId, key),
  };
}

/**
 * GitLab's `Seed::Build::ResourceGroup`: the key with its variables expanded (an unknown one by nothing); a key that
 * is then not a valid resource group key (an environment name's rules, 255 characters) leaves the job without one.
 */
async function resourceGroupKey(written: string, variables: () => Promise<ReadonlyMap<string, string>>): Promise<string | null> {
  const key = /[$%]/.test(written) ? expandReferences(written, await variables()) : written;
  return isValidEnvironmentName(key) ? key : null;
}

async function resourceGroupId(tx: EntityManager, projectId: number, key: string): Promise<number> {
  const [created]: { id: string }[] = await tx.query(
    'INSERT INTO ci_resource_groups (project_id, key) VALUES ($1, $2) ON CONFLICT (project_id, key) DO NOTHING RETURNING id',
    [projectId, key],
  );
  if (created) return Number(created.id);
  // Another pipeline created it, maybe at the same moment: a new statement sees its row once committed.
  const [existing]: { id: string }[] = await tx.query('SELECT id FROM ci_resource_groups WHERE project_id = $1 AND key = $2', [
    projectId,
    key,
  ]);
  return Number(existing.id);
}
