import { effectiveCiSettings } from '@lanyard/id-tokens';
import {
  type JobContext,
  type RunnerJobSpec,
  type RunnerVariable,
  type ServerFailureReason,
  assembleScopedVariables,
  buildRunnerJobSpec,
  decideJobTimeout,
  expandVariableCollection,
  lastValues,
  pickupFailure,
  resolveJobVariables,
  toRunnerVariable,
} from '@lanyard/pipelines';
import { deployRefused } from './deploy-access';
import { failureDetailOf } from './failure-reasons';
import { jobContextOf, jobIdentityOf } from './job-projections';
import type { JobSnapshot } from './job-snapshot';
import { protectedRefAccessRevoked } from './protected-ref-access';
import { type TokenPlan, planTokens } from './token-plan';

/** What a run of the job starts with, beside its snapshot. */
export interface PickupInput {
  readonly now: Date;
  /** The external URL: the server the runner talks to. */
  readonly serverUrl: string;
  /** The tokens' `iss` (LANYARD_ID_TOKEN_ISSUER_URL, the external URL unless set). */
  readonly issuer: string;
  /** Where `.gitlab-ci.yml` is read (`ci_config_ref_uri`). */
  readonly ciConfigPath: string;
  readonly jobToken: string;
  /** The runner taking the job; null in a preview. */
  readonly runnerToken: string | null;
  /** A new token id (UUID v4) each call. */
  readonly newJti: () => string;
}

export type PickupDecision =
  | { readonly kind: 'drop'; readonly reason: ServerFailureReason; readonly detail: string }
  | {
      readonly kind: 'run';
      readonly context: JobContext;
      /** Predefined, group and project, YAML and pipeline variables, in GitLab's order (ID tokens go first). */
      readonly scopedVariables: readonly RunnerVariable[];
      readonly timeoutSeconds: number;
      /** Steps, image, services, artifacts, cache and dependencies of its payload. */
      readonly spec: RunnerJobSpec;
      readonly plan: TokenPlan;
      /** Values no claim should carry: masked variables, the job and runner tokens. */
      readonly secretValues: readonly string[];
    };

/**
 * The one decision of a pickup, from the job's snapshot alone: its timeout, every reason to drop it (GitLab's
 * pre-assign checks, in its order), then its tokens' claims. Nothing is signed or written here: a dropped job never had
 * a token, and the token preview runs the same decision on a job not created yet.
 */
export function decidePickup(snapshot: JobSnapshot, input: PickupInput): PickupDecision {
  const { project, user, runner, metadata } = snapshot;
  const timeout = decideJobTimeout({
    jobTimeout: metadata.jobTimeout,
    projectTimeout: project.buildTimeout,
    runnerMaximumTimeout: runner?.maximumTimeout ?? null,
  });
  const context = jobContextOf(snapshot, {
    serverUrl: input.serverUrl,
    jobToken: input.jobToken,
    startedAt: input.now,
    timeoutSeconds: timeout.seconds,
  });
  const scopedVariables = scopedVariablesOf(snapshot, context);
  const reason = pickupFailure({
    userState: user?.state ?? null,
    projectDeleted: snapshot.mergeRequest !== null && snapshot.mergeRequest.source === null,
    protectedRefRevoked: protectedRefAccessRevoked(snapshot),
    deployRefused: deployRefused(snapshot),
    hasSecrets: Object.keys(metadata.secrets).length > 0,
    variables: lastValues(scopedVariables),
  });
  if (reason) return { kind: 'drop', reason, detail: failureDetailOf(reason) };
  const secretValues = [
    ...scopedVariables.filter((variable) => variable.masked).map((variable) => variable.value),
    ...(input.runnerToken ? [input.runnerToken] : []),
  ];
  const planned = planTokens(snapshot, {
    identity: jobIdentityOf(snapshot, input),
    settings: effectiveCiSettings(snapshot.ciSettings),
    issuer: input.issuer,
    // As GitLab: `aud` is expanded against the job's variables once they are expanded among themselves.
    variables: lastValues(expandVariableCollection(scopedVariables).variables),
    secretValues,
    now: Math.floor(input.now.getTime() / 1000),
    ttl: timeout.seconds,
    newJti: input.newJti,
  });
  if ('refusal' in planned) return { kind: 'drop', ...planned.refusal };
  const spec = buildRunnerJobSpec({
    script: metadata.script,
    options: metadata.options,
    stageIdx: snapshot.build.stageIdx,
    timeoutSeconds: timeout.seconds,
    protectedRef: snapshot.build.protected,
    jobToken: input.jobToken,
    dependencyCandidates: snapshot.dependencyCandidates,
  });
  return { kind: 'run', context, scopedVariables, timeoutSeconds: timeout.seconds, spec, plan: planned.plan, secretValues };
}

/** The job's CI/CD variables as protection and environment scope choose them, after the predefined ones. */
function scopedVariablesOf(snapshot: JobSnapshot, context: JobContext): RunnerVariable[] {
  const { build, project, namespace, metadata, pipeline, environment } = snapshot;
  const ciVariables = resolveJobVariables(snapshot.ciVariables, project.id, namespace.type === 'Group' ? namespace.traversalIds : [], {
    protectedRef: build.protected,
    environment: environment?.definition.name ?? null,
  });
  return assembleScopedVariables({
    context,
    ciVariables: ciVariables.map((variable) =>
      toRunnerVariable({
        key: variable.key,
        value: variable.value,
        masked: variable.masked,
        file: variable.variableType === 'file',
        raw: variable.raw,
      }),
    ),
    yamlVariables: metadata.variables,
    pipelineVariables: pipeline.variables.map((variable) =>
      toRunnerVariable({ key: variable.key, value: variable.value, file: variable.variable_type === 'file' }),
    ),
  });
}
