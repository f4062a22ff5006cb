import type { SubClaimComponent } from './sub-claim';
import type { JobIdentity } from './types';

/** The components naming the project a job runs in, which in a fork's own pipelines is always the fork. */
export const JOB_PROJECT_COMPONENTS = ['job_project_path', 'job_project_id'] as const;

export type JobProjectComponent = (typeof JOB_PROJECT_COMPONENTS)[number];

/** The `sub` components a token is composed from, and the one the job-project rule added to the setting, if any. */
export interface SubComponentsInForce {
  readonly components: readonly SubClaimComponent[];
  readonly appended: JobProjectComponent | null;
}

const NAMES_JOB_PROJECT = new Set<string>(JOB_PROJECT_COMPONENTS);

/**
 * A pipeline whose job project differs from its code's project (a fork's merge request run in the parent, on the
 * parent's runner, with the parent's variables) never mints a `sub` the code's project could mint itself. Every other
 * component can take the same value in one of the fork's own pipelines: `project_*` and `namespace_*` name the fork
 * there too, a fork has unprotected refs and its own `merge_request_event` pipelines, and its owner chooses its
 * settings. Only a job-project component differs (the fork's own pipelines name the fork), so one is appended when
 * the setting has none: `job_project_id` when `sub` leads with `project_id` (whoever chose ids chose a subject that
 * survives renames), else `job_project_path` (readable, as the path-led default). Its own result maps to itself.
 */
export function subComponentsInForce(
  configured: readonly SubClaimComponent[],
  identity: Pick<JobIdentity, 'sourceProject' | 'jobProject'>,
): SubComponentsInForce {
  const runsInItsOwnProject = identity.sourceProject.id === identity.jobProject.id;
  if (runsInItsOwnProject || configured.some((component) => NAMES_JOB_PROJECT.has(component)))
    return { components: configured, appended: null };
  const appended: JobProjectComponent = configured[0] === 'project_id' ? 'job_project_id' : 'job_project_path';
  return { components: [...configured, appended], appended };
}
