export { parseCiConfig, parseLoadedCiConfig } from './parse-ci-config';
export type { LoadedCiConfig } from './parse-ci-config';
export { resolveIncludes } from './includes/resolve-includes';
export { parseCiConfigWithIncludes } from './includes/parse-with-includes';
export type { CiConfigWithIncludes } from './includes/parse-with-includes';
export type { IncludeContext, IncludeLoader, IncludeProject, IncludeResolution, IncludedFile } from './includes/include-types';
export { INCLUDE_TYPES, includeMessages } from './includes/include-messages';
export { INCLUDE_KEYWORDS } from './includes/include-locations';
export type {
  ArtifactsDefinition,
  CacheDefinition,
  CacheKeyDefinition,
  CiConfigResult,
  EnvironmentDefinition,
  IdTokenDefinition,
  ImageDefinition,
  ImageExecutorOptions,
  JobDefinition,
  JwtClaimValue,
  NeedDefinition,
  ParallelDefinition,
  ParseCiConfigOptions,
  RetryDefinition,
  SecretDefinition,
  ServiceDefinition,
  VaultSecretDefinition,
} from './types';
export {
  ALLOW_FAILURE_KEYWORDS,
  ARTIFACTS_ACCESS,
  ARTIFACTS_KEYWORDS,
  ARTIFACT_REPORT_TYPES,
  CACHE_KEYWORDS,
  CACHE_KEY_KEYWORDS,
  COVERAGE_FORMATS,
  COVERAGE_REPORT_KEYWORDS,
  DOCKER_OPTION_KEYWORDS,
  IMAGE_KEYWORDS,
  KUBERNETES_OPTION_KEYWORDS,
  NEED_KEYWORDS,
  PARALLEL_KEYWORDS,
  PULL_POLICIES,
  RETRY_KEYWORDS,
  RETRY_WHEN_VALUES,
  SERVICE_KEYWORDS,
} from './execution-keywords';
export type { ArtifactReportType, ArtifactsAccess, CoverageFormat, PullPolicy } from './execution-keywords';
export {
  ARTIFACTS_WHEN_VALUES,
  DEFAULT_JOB_STAGE,
  DEFAULT_KEYWORDS,
  DEFAULT_STAGES,
  DEFAULT_VAULT_ENGINE,
  DEPLOYMENT_TIERS,
  EDGE_STAGES,
  ENVIRONMENT_ACTIONS,
  ENVIRONMENT_KEYWORDS,
  GLOBAL_VARIABLE_DATA_KEYWORDS,
  ID_TOKEN_KEYWORDS,
  INHERIT_KEYWORDS,
  JOB_KEYWORDS,
  JOB_VARIABLE_DATA_KEYWORDS,
  JOB_WHEN_VALUES,
  KEYWORDS_IN_PROGRESS,
  LEGACY_DEFAULT_KEYWORDS,
  LEGACY_JWT_VARIABLES,
  ROOT_KEYWORDS,
  SECRET_KEYWORDS,
  UNSUPPORTED_ROOT_KEYWORDS,
  VAULT_ENGINE_KEYWORDS,
  VAULT_SECRET_KEYWORDS,
} from './keywords';
export type { ArtifactsWhen, DefaultKeyword, DeploymentTier, EnvironmentAction, JobWhen } from './keywords';
export { CI_CONFIG_LIMITS } from './limits';
export { ciConfigMessages } from './messages';
export { validatorMessages } from './validator-messages';
export { CLAIM_NAME_PATTERN, RESERVED_CLAIM_NAMES, checkClaimName, isReservedClaimName, isUriClaimName } from './reserved-claims';
export type { ClaimNameProblem } from './reserved-claims';
export { CLAIM_VALUE_MESSAGES, checkClaimValue } from './jwt-claims-entry';
export type { ClaimValueProblem } from './jwt-claims-entry';
export { hasControlOrBidiCharacters, isValidJobVariableName, utf8ByteLength } from './text-rules';
export { parseDuration } from './duration';
export {
  ENVIRONMENT_NAME_MAX_LENGTH,
  ENVIRONMENT_NAME_MESSAGE,
  ENVIRONMENT_NAME_PATTERN,
  isValidEnvironmentName,
} from './environment-name';
export { EXPRESSION_LIMITS, PATTERN_BUDGET } from './expressions/expression-limits';
export { ExpressionError, PatternBudgetError } from './expressions/expression-error';
export type { ExpressionErrorCode } from './expressions/expression-error';
export { PatternEngine, UntrustedRegexp } from './expressions/pattern-engine';
export { evaluateExpression, expressionProblem, isTruthful, parseExpression } from './expressions/statement';
export type { ExpressionVariables } from './expressions/evaluate';
export type { ExpressionNode } from './expressions/parser';
export type { ExpressionValue } from './expressions/ruby-values';
export {
  AUTO_CANCEL_KEYWORDS,
  AUTO_CANCEL_ON_JOB_FAILURE,
  AUTO_CANCEL_ON_NEW_COMMIT,
  RULES_LIMITS,
  RULE_CHANGES_KEYWORDS,
  RULE_EXISTS_KEYWORDS,
  RULE_KEYWORDS,
  RULE_NEED_KEYWORDS,
  RULE_WHEN_VALUES,
} from './rules/rule-keywords';
export type { RuleWhen, RulesOwner, RulesOwnerKind } from './rules/rule-keywords';
export type { AutoCancel, RuleChanges, RuleDefinition, RuleExists, RuleNeed } from './rules/rule-types';
export { rulesMessages } from './rules/rule-messages';
export { parseRules, rulesLocation } from './rules/parse-rules';
export { RuleClauseError, changesMatch, existsMatch } from './rules/rule-clauses';
export type { ProjectFiles, RepositoryFacts, RulesContext } from './rules/rule-clauses';
export { evaluateIncludeRules, evaluateRules } from './rules/evaluate-rules';
export type { RulesResult } from './rules/evaluate-rules';
export { fnmatch } from './rules/fnmatch';
export { expandExisting, expandVariables } from './rules/expand-variables';
export { WORKFLOW_KEYWORDS, evaluateWorkflow, parseWorkflow } from './rules/workflow';
export type { WorkflowDefinition, WorkflowResult } from './rules/workflow';
export { DEFAULT_ONLY_REFS, POLICY_KEYWORDS, parsePolicy, policiesInclude } from './rules/policy';
export type { PolicyDefinition, PolicyFacts } from './rules/policy';
export { PIPELINE_SOURCES, sourceKeywords } from './rules/pipeline-sources';
export type { PipelineSource } from './rules/pipeline-sources';
export { effectivePolicies, evaluateJobInclusion, rulesConflict, rulesWarning } from './rules/job-inclusion';
export type { JobInclusion, JobInclusionKeys } from './rules/job-inclusion';
export { pipelineRuleVariables } from './rules/pipeline-variables';
export type { BranchOrTag, MergeRequestFacts, PipelineFacts, PipelineOrigin } from './rules/pipeline-variables';
export { selectJobs } from './rules/select-jobs';
export type { JobSelection, SelectionFacts } from './rules/select-jobs';
