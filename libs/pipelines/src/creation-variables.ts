import { JobContext, buildPredefinedVariables } from './predefined-variables';
import { RunnerVariable, toRunnerVariable } from './runner-variable';

/** What a job is known by before it and its pipeline are saved, and before a runner takes it. */
export type CreationContext = Omit<JobContext, 'job' | 'runner' | 'environment' | 'pipeline'> & {
  readonly job: Pick<JobContext['job'], 'name' | 'stage' | 'timeoutSeconds' | 'script'>;
  readonly pipeline: Omit<JobContext['pipeline'], 'id' | 'createdAt'>;
};

/** Predefined variables GitLab derives from ids, tokens, times and runners that do not exist yet at creation. */
const UNKNOWN_AT_CREATION = new Set([
  'CI_PIPELINE_ID',
  'CI_PIPELINE_URL',
  'CI_PIPELINE_CREATED_AT',
  'CI_JOB_ID',
  'CI_JOB_URL',
  'CI_JOB_TOKEN',
  'CI_JOB_STARTED_AT',
  'CI_RUNNER_ID',
  'CI_RUNNER_DESCRIPTION',
  'CI_RUNNER_TAGS',
]);

/**
 * The variables a job's environment name expands against when the job is created (GitLab's `simple_variables` at
 * `Chain::EnsureEnvironments`, before the pipeline is saved): the predefined ones known then, then the job's YAML
 * variables, then the pipeline's, later ones winning. Project and group CI/CD variables are not included.
 */
export function creationVariables(
  context: CreationContext,
  yamlVariables: Readonly<Record<string, string>>,
  pipelineVariables: readonly { readonly key: string; readonly value: string }[],
): RunnerVariable[] {
  const predefined = buildPredefinedVariables({
    ...context,
    job: { ...context.job, id: 0, token: '', startedAt: '' },
    pipeline: { ...context.pipeline, id: 0, createdAt: '' },
    runner: { id: 0, description: '' },
    environment: null,
  }).filter((variable) => !UNKNOWN_AT_CREATION.has(variable.key));
  return [
    ...predefined,
    ...Object.entries(yamlVariables).map(([key, value]) => toRunnerVariable({ key, value })),
    ...pipelineVariables.map(({ key, value }) => toRunnerVariable({ key, value })),
  ];
}
