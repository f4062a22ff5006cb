import type { ImageDefinition, JobDefinition, ServiceDefinition } from '@lanyard/ci-config';

/** The runner's `spec.Step` (`common/spec/spec.go`). */
export interface RunnerStep {
  readonly name: 'script' | 'after_script';
  readonly script: string[];
  readonly timeout: number;
  readonly when: 'on_success' | 'always';
  readonly allow_failure: boolean;
}

/** The runner's `spec.Image`, as GitLab's `Image` entity sends it (`ports` are never set for jobs). */
export interface RunnerImage {
  readonly name: string;
  readonly entrypoint: string[] | null;
  readonly ports: never[];
  readonly executor_opts: { docker?: { platform?: string; user?: string }; kubernetes?: { user?: string | number } };
  readonly pull_policy: string[] | null;
}

/** The runner's `spec.Image` for a service: GitLab's `Service` entity adds alias, command and variables. */
export interface RunnerService extends RunnerImage {
  readonly alias: string | null;
  readonly command: string[] | null;
  readonly variables: { readonly key: string; readonly value: string }[];
}

/**
 * GitLab's `Ci::Build#steps`: one `script` step, `before_script` then `script`, then an `after_script` step of its own
 * that runs whatever happened (`when: always`) and whose failure does not fail the job. Both carry the job's timeout.
 */
export function buildRunnerSteps(
  job: Pick<JobDefinition, 'beforeScript' | 'script' | 'afterScript'>,
  timeoutSeconds: number,
): RunnerStep[] {
  const script: RunnerStep = {
    name: 'script',
    script: [...job.beforeScript, ...job.script],
    timeout: timeoutSeconds,
    when: 'on_success',
    allow_failure: false,
  };
  if (job.afterScript === null) return [script];
  return [script, { name: 'after_script', script: [...job.afterScript], timeout: timeoutSeconds, when: 'always', allow_failure: true }];
}

/** GitLab's `Image` entity; null (`"image": null`) when the job has none. */
export function buildRunnerImage(image: ImageDefinition | null): RunnerImage | null {
  if (!image) return null;
  return {
    name: image.name,
    entrypoint: image.entrypoint ? [...image.entrypoint] : null,
    ports: [],
    executor_opts: executorOptions(image),
    pull_policy: image.pullPolicy ? [...image.pullPolicy] : null,
  };
}

/** GitLab's `Service` entities, in the order written; variable values as strings. */
export function buildRunnerServices(services: readonly ServiceDefinition[]): RunnerService[] {
  return services.map((service) => ({
    ...(buildRunnerImage(service) as RunnerImage),
    alias: service.alias,
    command: service.command ? [...service.command] : null,
    variables: Object.entries(service.variables).map(([key, value]) => ({ key, value })),
  }));
}

function executorOptions(image: ImageDefinition): RunnerImage['executor_opts'] {
  const options = image.executorOptions;
  return {
    ...(options?.docker ? { docker: { ...options.docker } } : {}),
    ...(options?.kubernetes ? { kubernetes: { ...options.kubernetes } } : {}),
  };
}
