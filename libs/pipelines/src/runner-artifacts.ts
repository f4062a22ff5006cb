import type { ArtifactReportType, ArtifactsDefinition, CacheDefinition, CoverageFormat } from '@lanyard/ci-config';

/** The runner's `spec.Artifact`; `untracked` and `exclude` are left out when not set (GitLab's `expose_nil: false`). */
export interface RunnerArtifact {
  readonly name: string | null;
  readonly untracked?: boolean;
  readonly paths: string[];
  readonly exclude?: string[];
  readonly when: string | null;
  readonly expire_in: string | null;
  readonly artifact_type: string;
  readonly artifact_format: 'zip' | 'gzip' | 'raw';
}

/** The runner's `spec.Cache`. */
export interface RunnerCache {
  readonly key: string;
  readonly untracked: boolean | null;
  readonly paths: string[] | null;
  readonly policy: string;
  readonly when: string;
  readonly fallback_keys: string[];
}

/** The runner's `spec.Dependency`: a job whose artifacts this one downloads. */
export interface RunnerDependency {
  readonly id: number;
  readonly name: string;
  readonly token: string;
  readonly artifacts_file?: { readonly filename: string; readonly size: number };
}

/**
 * GitLab's `Enums::Ci::JobArtifact` file names and formats for report artifacts. The reference lists junit, dotenv,
 * cobertura, jacoco, codequality, sast, terraform, cyclonedx, annotations and lsif; the others follow GitLab's table
 * (security reports and most others raw).
 */
export const REPORT_ARTIFACTS: Readonly<Record<ArtifactReportType | CoverageFormat, readonly [string, RunnerArtifact['artifact_format']]>> =
  {
    junit: ['junit.xml', 'gzip'],
    dotenv: ['.env', 'gzip'],
    cobertura: ['cobertura-coverage.xml', 'gzip'],
    jacoco: ['jacoco-coverage.xml', 'gzip'],
    codequality: ['gl-code-quality-report.json', 'raw'],
    sast: ['gl-sast-report.json', 'raw'],
    terraform: ['tfplan.json', 'raw'],
    cyclonedx: ['gl-sbom.cdx.json', 'gzip'],
    annotations: ['gl-annotations.json', 'gzip'],
    lsif: ['lsif.json', 'zip'],
    secret_detection: ['gl-secret-detection-report.json', 'raw'],
    dependency_scanning: ['gl-dependency-scanning-report.json', 'raw'],
    container_scanning: ['gl-container-scanning-report.json', 'raw'],
    cluster_image_scanning: ['gl-cluster-image-scanning-report.json', 'raw'],
    dast: ['gl-dast-report.json', 'raw'],
    license_scanning: ['gl-license-scanning-report.json', 'raw'],
    performance: ['performance.json', 'raw'],
    browser_performance: ['browser-performance.json', 'raw'],
    load_performance: ['load-performance.json', 'raw'],
    metrics: ['metrics.txt', 'gzip'],
    accessibility: ['gl-accessibility.json', 'raw'],
    requirements: ['requirements.json', 'raw'],
    requirements_v2: ['requirements_v2.json', 'raw'],
    coverage_fuzzing: ['gl-coverage-fuzzing.json', 'raw'],
    api_fuzzing: ['gl-api-fuzzing-report.json', 'raw'],
    repository_xray: ['gl-repository-xray.json', 'raw'],
  };

/**
 * GitLab's `BuildRunnerPresenter#artifacts`: null without `artifacts:`; else the archive (only with paths or
 * untracked) and one entry per report, reports always uploaded (`when: always`).
 */
export function buildRunnerArtifacts(artifacts: ArtifactsDefinition | null): RunnerArtifact[] | null {
  if (!artifacts) return null;
  const archive: RunnerArtifact[] =
    artifacts.paths || artifacts.untracked
      ? [
          {
            name: artifacts.name,
            ...(artifacts.untracked !== null ? { untracked: artifacts.untracked } : {}),
            paths: [...(artifacts.paths ?? [])],
            ...(artifacts.exclude?.length ? { exclude: [...artifacts.exclude] } : {}),
            when: artifacts.when,
            expire_in: artifacts.expireIn,
            artifact_type: 'archive',
            artifact_format: 'zip',
          },
        ]
      : [];
  const report = (type: ArtifactReportType | CoverageFormat, paths: readonly string[]): RunnerArtifact => {
    const [name, format] = REPORT_ARTIFACTS[type];
    return { name, paths: [...paths], when: 'always', expire_in: artifacts.expireIn, artifact_type: type, artifact_format: format };
  };
  const reports = Object.entries(artifacts.reports).map(([type, paths]) => report(type as ArtifactReportType, paths ?? []));
  const coverage = artifacts.coverageReport ? [report(artifacts.coverageReport.format, [artifacts.coverageReport.path])] : [];
  return [...archive, ...reports, ...coverage];
}

/** What decides a cache key's suffixes when a job is handed to a runner (GitLab: `Ci::Build#cache`). */
export interface CacheKeyContext {
  /** The project's `jobs_cache_index`, raised when someone clears the caches; null while never cleared. */
  readonly jobsCacheIndex: number | null;
  /** The project's `ci_separated_caches` (on by default): protected and unprotected refs use separate caches. */
  readonly separatedCaches: boolean;
  /** Whether the pipeline runs for a protected ref. */
  readonly protectedRef: boolean;
}

/** `-<jobs_cache_index>`, then `-protected` or `-non_protected` (not for `unprotect: true` on a protected ref). */
export function cacheKeyWithSuffix(key: string, unprotect: boolean, context: CacheKeyContext): string {
  const indexed = context.jobsCacheIndex !== null ? `${key}-${context.jobsCacheIndex}` : key;
  if (!context.separatedCaches) return indexed;
  return `${indexed}-${!unprotect && context.protectedRef ? 'protected' : 'non_protected'}`;
}

/**
 * The key GitLab computes when the pipeline is created (`Seed::Build::Cache#key_string`): a string key as written (the
 * runner expands its variables); a `key:files` key as `<prefix, or the cache's index>-<digest of the files, or
 * "default" when none exists>`. `filesDigest` is that SHA-1, computed where the repository is.
 */
export function seedCacheKey(cache: CacheDefinition, index: number, filesDigest: string | null): string {
  if (typeof cache.key === 'string') return cache.key;
  return `${cache.key.prefix ?? index}-${filesDigest ?? 'default'}`;
}

/** GitLab's `Cache` entities: each cache with its seeded key, the suffixes on it and on every fallback key. */
export function buildRunnerCaches(
  caches: readonly CacheDefinition[],
  seededKeys: readonly string[],
  context: CacheKeyContext,
): RunnerCache[] {
  return caches.map((cache, i) => ({
    key: cacheKeyWithSuffix(seededKeys[i] ?? seedCacheKey(cache, i, null), cache.unprotect, context),
    untracked: cache.untracked,
    paths: cache.paths ? [...cache.paths] : null,
    policy: cache.policy,
    when: cache.when,
    fallback_keys: cache.fallbackKeys.map((key) => cacheKeyWithSuffix(key, cache.unprotect, context)),
  }));
}
