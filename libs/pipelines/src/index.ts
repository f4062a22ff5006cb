export { advancePipeline } from './advance-pipeline';
export type { BuildWhen, PipelineAdvance, StagedBuild } from './advance-pipeline';
export { autoRetryAllowed, failureAllowedByExitCode } from './auto-retry';
export type { FailedJob } from './auto-retry';
export { COMPLETED_STATUSES, compositeStatus } from './status-composite';
export type { CompositeStatus, StatusWithAllowance } from './status-composite';
export { buildRunnerImage, buildRunnerServices, buildRunnerSteps } from './runner-job-spec';
export type { RunnerImage, RunnerService, RunnerStep } from './runner-job-spec';
export { REPORT_ARTIFACTS, buildRunnerArtifacts, buildRunnerCaches, cacheKeyWithSuffix, seedCacheKey } from './runner-artifacts';
export type { CacheKeyContext, RunnerArtifact, RunnerCache, RunnerDependency } from './runner-artifacts';
export { buildRunnerDependencies, selectDependencies } from './runner-dependencies';
export type { DependencyCandidate } from './runner-dependencies';
export { BUILD_STATUSES, FINISHED_BUILD_STATUSES, RUNNER_FAILURE_REASONS, SERVER_FAILURE_REASONS, isFinished } from './build-status';
export type { BuildStatus, FailureReason, PipelineStatus, ServerFailureReason } from './build-status';
export { guessDeploymentTier } from './deployment-tier';
export { environmentSlug } from './environment-slug';
export { BLANK_SHA, buildPredefinedVariables, isDraftTitle, slugify } from './predefined-variables';
export type { JobContext, MergeRequestContext } from './predefined-variables';
export { extractCoverage } from './job-coverage';
export { buildRunnerJobSpec, runnerOptionsOf } from './runner-options';
export type { JobRunnerOptions, RunnerJobSpec, RunnerJobSpecInput } from './runner-options';
export { assembleScopedVariables, buildRunnerPayload } from './runner-payload';
export type { RunnerPayload, RunnerPayloadInput, ScopedVariablesInput, VaultSecretSpec } from './runner-payload';
export { pickupFailure } from './pickup-checks';
export type { PickupFacts } from './pickup-checks';
export { lastValues, toRunnerVariable } from './runner-variable';
export type { RunnerVariable, VariableInput } from './runner-variable';
export { decideJobTimeout } from './job-timeout';
export type { JobTimeout, JobTimeoutInput, JobTimeoutSource } from './job-timeout';
export { expandReferences, expandVariableCollection, variableReferences } from './variable-collection';
export type { ExpandedVariableCollection } from './variable-collection';
export { pipelinePermissionError } from './pipeline-permissions';
export type { PipelinePermissionInput } from './pipeline-permissions';
export { creationVariables } from './creation-variables';
export type { CreationContext } from './creation-variables';
export { commitMessageSkipsCi } from './skip-ci';
export {
  DESCRIPTION_MAX_LENGTH,
  ENVIRONMENT_SCOPE_MAX_LENGTH,
  ENVIRONMENT_SCOPE_MESSAGE,
  ENVIRONMENT_SCOPE_PATTERN,
  KEY_MAX_LENGTH,
  KEY_MESSAGE,
  KEY_PATTERN,
  VALUE_MAX_LENGTH,
  characterCount,
  isMaskable,
  resolveJobVariables,
  resolveVariables,
  scopeRank,
} from './variable-rules';
export type { CiVariableRow, JobVariableOptions, ScopedVariable } from './variable-rules';
export { LOG_MASK, MAX_HELD_JWT_BYTES, maskAppend, maskLog, maskPhrases } from './log-masking';
export type { JobLogSecrets, MaskedAppend } from './log-masking';
export {
  JOB_LOG_LIMIT_BYTES,
  PROCESSING_ON_RUNNER_STATUSES,
  TRACE_UPDATE_INTERVAL_SECONDS,
  contentRangeStart,
  decideJobToken,
  limitAppend,
  logLimitMessage,
  repeatsFinalState,
} from './job-log-rules';
export type { JobTokenDecision } from './job-log-rules';
export { STUCK_JOB_LIMITS, stuckJobCutoffs } from './stuck-jobs';
export type { StuckJobCutoffs } from './stuck-jobs';
export {
  AVAILABLE_STATUSES,
  JOB_CANCELABLE_STATUSES,
  JOB_SCOPES,
  PIPELINE_CANCELABLE_STATUSES,
  isErasable,
  isRetryable,
  mayEraseJob,
} from './job-control';
export type { JobScope } from './job-control';
