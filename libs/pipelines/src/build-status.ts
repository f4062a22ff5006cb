/**
 * GitLab's job statuses that Lanyard uses: `manual` waits for someone to play it, `scheduled` for its `start_in`,
 * `waiting_for_resource` for its resource group to free up (it then becomes `pending`).
 */
export const BUILD_STATUSES = [
  'created',
  'waiting_for_resource',
  'pending',
  'running',
  'success',
  'failed',
  'canceled',
  'skipped',
  'manual',
  'scheduled',
] as const;
export type BuildStatus = (typeof BUILD_STATUSES)[number];

/** A pipeline is `manual` while a blocking manual job holds it, `scheduled` while only delayed jobs remain. */
export type PipelineStatus = 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual' | 'scheduled';

export const FINISHED_BUILD_STATUSES: readonly BuildStatus[] = ['success', 'failed', 'canceled', 'skipped'];

export function isFinished(status: BuildStatus): boolean {
  return FINISHED_BUILD_STATUSES.includes(status);
}

/** Reasons a runner may report in `PUT /jobs/:id`, and those Lanyard sets itself (GitLab's `failure_reason` enum). */
export const RUNNER_FAILURE_REASONS = [
  'unknown_failure',
  'script_failure',
  'api_failure',
  'stuck_or_timeout_failure',
  'runner_system_failure',
  'missing_dependency_failure',
  'runner_unsupported',
  'job_execution_timeout',
  'archived_failure',
  'unmet_prerequisites',
  'data_integrity_failure',
  'runner_image_pull_failure',
] as const;

/** Reasons Lanyard fails a job with at pickup, before the runner gets it. */
export const SERVER_FAILURE_REASONS = [
  'secrets_provider_not_found',
  'id_token_generation_failed',
  'id_token_audience_empty',
  'id_token_sub_too_long',
  'id_token_claims_invalid',
  // GitLab's: the job's user may not deploy to its protected environment (checked at creation and again at pickup).
  'protected_environment_failure',
  // GitLab's: the job's user was blocked while it waited.
  'user_blocked',
  // GitLab's: the job's expanded environment name is not a valid environment name.
  'environment_creation_failure',
  // An `aud` whose expansion would carry a masked variable or a job/runner token.
  'id_token_audience_secret',
  // A `sub` setting that no longer satisfies the leading-component rule (set before the rule was enforced).
  'id_token_sub_components_invalid',
  // The signing key that minted the job's tokens was revoked in an emergency while the job ran.
  'id_token_signing_key_revoked',
  // GitLab's: the job's project was deleted while the job waited.
  'project_deleted',
  // GitLab's name: the job's tokens would name a project path that another project gave up (reclaimed path); GitLab
  // refuses only a sub led by it, Lanyard every token of the job.
  'id_token_burned_project_path',
  // The job runs for a protected ref its user may no longer push to or merge into (removed, demoted, rules changed).
  'protected_ref_access_revoked',
  // A custom claim name an admin registered to a group was set outside that group's tree (after the pipeline was created).
  'id_token_claim_not_owned',
] as const;

export type ServerFailureReason = (typeof SERVER_FAILURE_REASONS)[number];

export type FailureReason = (typeof RUNNER_FAILURE_REASONS)[number] | ServerFailureReason;
