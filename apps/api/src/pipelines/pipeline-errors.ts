import { DomainError, NoFacts } from '../common/domain-error';

/** Why a pipelines use case refuses; GitLab's answers are in http-errors/pipelines.answers.ts. */
export type PipelineErrorFacts = {
  /** `Ci::CreatePipelineService`'s errors: the config's, a ref not found, variables the user may not pass, … */
  readonly PIPELINE_NOT_CREATED: { readonly reasons: readonly string[] };
  readonly PIPELINE_NOT_FOUND: NoFacts;
  /** `GET …/pipelines/latest` found none for the ref's head commit (GitLab then authorizes a nil pipeline: 403). */
  readonly LATEST_PIPELINE_NOT_FOUND: NoFacts;
  /** GitLab's `read_pipeline_variable`: maintainers, and the developer who ran the pipeline while they may update it. */
  readonly PIPELINE_VARIABLES_FORBIDDEN: NoFacts;
  readonly JOB_NOT_FOUND: NoFacts;
  /** `play_job` refused: not a developer, a protected ref the user may not push to or merge into, a protected environment. */
  readonly JOB_PLAY_FORBIDDEN: NoFacts;
  /** Only a manual job, or a delayed one waiting for its time, can be played. */
  readonly JOB_NOT_PLAYABLE: NoFacts;
  /** `cancel_build`/`retry_job` refused: not a developer, or a protected ref (or environment) the user may not write. */
  readonly JOB_UPDATE_FORBIDDEN: NoFacts;
  /** Only a finished job (success, failed, canceled) not already replaced by a copy can be retried. */
  readonly JOB_NOT_RETRYABLE: NoFacts;
  /** `erase_build` refused: a maintainer's, or a developer's for a job they started on an unprotected ref. */
  readonly JOB_ERASE_FORBIDDEN: NoFacts;
  /** Only a complete job with a log can be erased. */
  readonly JOB_NOT_ERASABLE: NoFacts;
  /** `update_pipeline` refused (cancel, retry): not a developer, or a protected ref the user may not write. */
  readonly PIPELINE_UPDATE_FORBIDDEN: NoFacts;
};

export class PipelineError<Code extends keyof PipelineErrorFacts = keyof PipelineErrorFacts> extends DomainError<PipelineErrorFacts, Code> {
  static readonly module = 'pipelines';
}

/** A pipeline that cannot be created, for each of `reasons`. */
export function pipelineNotCreated(...reasons: string[]): PipelineError {
  return new PipelineError('PIPELINE_NOT_CREATED', { reasons });
}
