import { DomainError, NoFacts } from '../common/domain-error';

/** Why a pipelines use case refuses; GitLab's answers are in http-errors/pipelines.answers.ts. */
export type PipelineErrorFacts = {
  /** `Ci::CreatePipelineService`'s errors: the config's, a ref not found, variables the user may not pass, … */
  readonly PIPELINE_NOT_CREATED: { readonly reasons: readonly string[] };
  readonly PIPELINE_NOT_FOUND: NoFacts;
  readonly JOB_NOT_FOUND: NoFacts;
};

export class PipelineError<Code extends keyof PipelineErrorFacts = keyof PipelineErrorFacts> extends DomainError<PipelineErrorFacts, Code> {
  static readonly module = 'pipelines';
}

/** A pipeline that cannot be created, for each of `reasons`. */
export function pipelineNotCreated(...reasons: string[]): PipelineError {
  return new PipelineError('PIPELINE_NOT_CREATED', { reasons });
}
