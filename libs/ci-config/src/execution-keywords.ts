/** Closed lists of the keywords a runner executes, and of their values (GitLab 18). */

/** GitLab: `Imageable` keys (`ports` only where image ports are enabled, never for jobs). */
export const IMAGE_KEYWORDS = ['name', 'entrypoint', 'pull_policy', 'docker', 'kubernetes'] as const;
export const SERVICE_KEYWORDS = [...IMAGE_KEYWORDS, 'command', 'alias', 'variables'] as const;
/** GitLab: `schemas/imageable/executor_opts.json`. */
export const DOCKER_OPTION_KEYWORDS = ['platform', 'user'] as const;
export const KUBERNETES_OPTION_KEYWORDS = ['user'] as const;

export const PULL_POLICIES = ['always', 'never', 'if-not-present'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export const ARTIFACTS_KEYWORDS = [
  'name',
  'untracked',
  'paths',
  'reports',
  'when',
  'expire_in',
  'expose_as',
  'exclude',
  'public',
  'access',
] as const;
export const ARTIFACTS_ACCESS = ['none', 'developer', 'all'] as const;
export type ArtifactsAccess = (typeof ARTIFACTS_ACCESS)[number];

/** GitLab 18's `Entry::Reports::ALLOWED_KEYS` that take paths (`coverage_report` takes a format and a path). */
export const ARTIFACT_REPORT_TYPES = [
  'junit',
  'codequality',
  'sast',
  'secret_detection',
  'dependency_scanning',
  'container_scanning',
  'dast',
  'performance',
  'browser_performance',
  'load_performance',
  'license_scanning',
  'metrics',
  'lsif',
  'dotenv',
  'terraform',
  'accessibility',
  'coverage_fuzzing',
  'api_fuzzing',
  'cluster_image_scanning',
  'requirements',
  'requirements_v2',
  'cyclonedx',
  'annotations',
  'repository_xray',
] as const;
export type ArtifactReportType = (typeof ARTIFACT_REPORT_TYPES)[number];
export const COVERAGE_REPORT_KEYWORDS = ['coverage_format', 'path'] as const;
export const COVERAGE_FORMATS = ['cobertura', 'jacoco'] as const;
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];

export const CACHE_KEYWORDS = ['key', 'untracked', 'paths', 'when', 'policy', 'unprotect', 'fallback_keys'] as const;
export const CACHE_KEY_KEYWORDS = ['files', 'prefix'] as const;

export const ALLOW_FAILURE_KEYWORDS = ['exit_codes'] as const;
export const RETRY_KEYWORDS = ['max', 'when', 'exit_codes'] as const;
/** GitLab's documented `retry:when` values (`Ci::Build.failure_reasons` and `always`). */
export const RETRY_WHEN_VALUES = [
  'always',
  'unknown_failure',
  'script_failure',
  'api_failure',
  'stuck_or_timeout_failure',
  'runner_system_failure',
  'runner_unsupported',
  'stale_schedule',
  'job_execution_timeout',
  'archived_failure',
  'unmet_prerequisites',
  'scheduler_failure',
  'data_integrity_failure',
] as const;

/** GitLab's `Need::JobHash` keys; `pipeline:` and `project:` needs (other pipelines) are not built. */
export const NEED_KEYWORDS = ['job', 'artifacts', 'optional'] as const;
export const PARALLEL_KEYWORDS = ['matrix'] as const;
