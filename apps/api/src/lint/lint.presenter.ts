import type { IncludedFile, JobDefinition } from '@lanyard/ci-config';

/** What `Entities::Ci::Lint::Result` exposes; `jobs` only when asked for (`include_jobs`, or a dry run). */
export interface LintAnswer {
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly mergedYaml: string | null;
  readonly includes: readonly object[];
  readonly jobs?: readonly object[];
}

export function presentLint(answer: LintAnswer) {
  return {
    valid: answer.valid,
    errors: answer.errors,
    warnings: answer.warnings,
    merged_yaml: answer.mergedYaml,
    includes: answer.includes,
    ...(answer.jobs ? { jobs: answer.jobs } : {}),
  };
}

/** GitLab's `File::Base#metadata`, with the blob and raw URLs of the file where it was read. */
export function presentInclude(file: IncludedFile, externalUrl: string) {
  const at = `${externalUrl}/${file.project}/-/%s/${file.sha}/${file.location}`;
  return {
    type: file.type,
    location: file.location,
    blob: at.replace('%s', 'blob'),
    raw: at.replace('%s', 'raw'),
    extra: file.extra,
    context_project: file.contextProject,
    context_sha: file.contextSha,
  };
}

/** The fields both of GitLab's lint job lists have, plus Lanyard's identity fields (what a job would be minted). */
function commonJobFields(job: JobDefinition) {
  return {
    name: job.name,
    stage: job.stage,
    before_script: job.beforeScript,
    script: job.script,
    after_script: job.afterScript ?? [],
    tag_list: job.tags,
    environment: job.environment?.name ?? null,
    when: job.when,
    allow_failure: job.allowFailure,
    timeout: job.timeoutSeconds,
    id_tokens: Object.keys(job.idTokens),
    secrets: Object.keys(job.secrets),
  };
}

const needsOf = (job: JobDefinition) => job.needs?.map((need) => ({ name: need.job, artifacts: need.artifacts, optional: need.optional }));

/** `Gitlab::Ci::Lint#static_validation_convert_to_jobs`: every job written, with its `only`/`except` as composed. */
export function presentStaticJob(job: JobDefinition) {
  return {
    ...commonJobFields(job),
    only: job.inclusion?.only ?? null,
    except: job.inclusion?.except ?? null,
    needs: needsOf(job) ?? null,
  };
}

/** `Gitlab::Ci::Lint#dry_run_convert_to_jobs`: the jobs the simulated pipeline created, as their rules left them. */
export function presentDryRunJob(job: JobDefinition) {
  return { ...commonJobFields(job), needs: needsOf(job) ?? [] };
}
