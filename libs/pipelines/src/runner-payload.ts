import { RUNNER_FAILURE_REASONS } from './build-status';
import { JobContext, buildPredefinedVariables } from './predefined-variables';
import type { RunnerJobSpec } from './runner-options';
import { RunnerVariable, lastValues, toRunnerVariable } from './runner-variable';

export interface VaultSecretSpec {
  readonly vault: { readonly engine: { readonly name: string; readonly path: string }; readonly path: string; readonly field: string };
  /** The variable holding the JWT Vault authenticates with; null: the legacy `CI_JOB_JWT`. */
  readonly token: string | null;
  readonly file: boolean;
}

export interface ScopedVariablesInput {
  readonly context: JobContext;
  /** Group then project CI/CD variables, already resolved for the ref (protected ones only on protected refs). */
  readonly ciVariables: readonly RunnerVariable[];
  readonly yamlVariables: Readonly<Record<string, string>>;
  /** Given when the pipeline was created; they win over everything else. */
  readonly pipelineVariables: readonly RunnerVariable[];
}

export interface RunnerPayloadInput {
  readonly context: JobContext;
  /** The job's minted ID tokens; they come before every other variable, as GitLab sends them. */
  readonly idTokenVariables: readonly RunnerVariable[];
  /** From `assembleScopedVariables`: what an ID token's `aud` expands against, and what follows the tokens. */
  readonly scopedVariables: readonly RunnerVariable[];
  readonly secrets: Readonly<Record<string, VaultSecretSpec>>;
  /** Steps, image, services, artifacts, cache and dependencies (`buildRunnerJobSpec`). */
  readonly spec: RunnerJobSpec;
}

export type RunnerPayload = ReturnType<typeof assemblePayload>;

/** A job's variables in GitLab's order: predefined, group and project, YAML, pipeline (ID tokens go before these). */
export function assembleScopedVariables(input: ScopedVariablesInput): RunnerVariable[] {
  return [
    ...buildPredefinedVariables(input.context),
    ...input.ciVariables,
    ...Object.entries(input.yamlVariables).map(([key, value]) => toRunnerVariable({ key, value, public: true })),
    ...input.pipelineVariables,
  ];
}

/**
 * GitLab's `POST /jobs/request` answer for one job, ID tokens first. Whether the job may run at all (a Vault server
 * for its secrets, …) is `pickupFailure`'s decision, taken before its tokens are signed.
 */
export function buildRunnerPayload(input: RunnerPayloadInput): RunnerPayload {
  const variables = [...input.idTokenVariables, ...input.scopedVariables];
  return assemblePayload(input.context, input.spec, variables, vaultSecrets(input.secrets, lastValues(variables)));
}

function vaultSecrets(secrets: RunnerPayloadInput['secrets'], values: Map<string, string>) {
  const server = {
    url: values.get('VAULT_SERVER_URL') ?? '',
    ...(values.get('VAULT_NAMESPACE') ? { namespace: values.get('VAULT_NAMESPACE') } : {}),
    auth: {
      name: 'jwt',
      path: values.get('VAULT_AUTH_PATH') || 'jwt',
      data: {
        jwt: '',
        ...(values.get('VAULT_AUTH_ROLE') ? { role: values.get('VAULT_AUTH_ROLE') } : {}),
      },
    },
  };
  return Object.fromEntries(
    Object.entries(secrets).map(([name, secret]) => [
      name,
      {
        vault: {
          engine: secret.vault.engine,
          path: secret.vault.path,
          field: secret.vault.field,
          // A reference the runner expands, never the token itself: `$VAULT_ID_TOKEN`, or the legacy variable.
          server: {
            ...server,
            auth: { ...server.auth, data: { ...server.auth.data, jwt: secret.token ? `$${secret.token}` : '${CI_JOB_JWT}' } },
          },
        },
        file: secret.file,
      },
    ]),
  );
}

function assemblePayload(context: JobContext, spec: RunnerJobSpec, variables: RunnerVariable[], secrets: Record<string, unknown>) {
  const { job, pipeline, project } = context;
  const server = new URL(context.serverUrl);
  const refPrefix = pipeline.refType === 'tag' ? 'refs/tags' : 'refs/heads';
  return {
    id: job.id,
    token: job.token,
    allow_git_fetch: true,
    job_info: {
      id: job.id,
      name: job.name,
      stage: job.stage,
      pipeline_id: pipeline.id,
      project_id: project.id,
      project_name: project.name,
      project_full_path: project.fullPath,
      namespace_id: project.namespaceId,
      root_namespace_id: project.rootNamespaceId,
      user_id: context.user?.id ?? null,
      time_in_queue_seconds: 0,
    },
    git_info: {
      repo_url: `${server.protocol}//gitlab-ci-token:${job.token}@${server.host}${server.pathname.replace(/\/$/, '')}/${project.fullPath}.git`,
      ref: pipeline.ref,
      sha: pipeline.sha,
      before_sha: pipeline.beforeSha,
      ref_type: pipeline.refType,
      refspecs: refspecsFor(pipeline, refPrefix),
      depth: 20,
      repo_object_format: 'sha1',
    },
    runner_info: { timeout: job.timeoutSeconds, runner_session_url: null },
    variables,
    steps: spec.steps,
    image: spec.image,
    services: spec.services,
    artifacts: spec.artifacts,
    cache: spec.cache,
    credentials: [],
    dependencies: spec.dependencies,
    features: { trace_sections: true, failure_reasons: [...RUNNER_FAILURE_REASONS] },
    ...(Object.keys(secrets).length ? { secrets } : {}),
  };
}

/**
 * A branch or tag is fetched by name; a merge-request pipeline in the target (`refs/merge-requests/<iid>/head`)
 * through its persistent ref, as GitLab's `refspec_for_persistent_ref`: that ref holds the pipeline's commit even
 * after the source branch moves on.
 */
function refspecsFor(pipeline: JobContext['pipeline'], refPrefix: string): string[] {
  if (pipeline.pipelineRef?.startsWith('refs/merge-requests/')) return [`+refs/pipelines/${pipeline.id}:refs/pipelines/${pipeline.id}`];
  return [`+${refPrefix}/${pipeline.ref}:refs/${pipeline.refType === 'tag' ? 'tags' : 'remotes/origin'}/${pipeline.ref}`];
}
