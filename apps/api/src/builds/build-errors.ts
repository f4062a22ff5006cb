import { DomainError } from '../common/domain-error';

/** Why a runner's update of a job is refused; the answer is in http-errors/builds.answers.ts. */
export type BuildErrorFacts = {
  /**
   * A job token is only good for its own job, and only while the job runs (GitLab: 403 for anything else, with
   * `Job-Status` when the job stopped, so the runner stops too).
   */
  readonly JOB_TOKEN_REFUSED: { readonly jobStatus?: string };
};

export class BuildError<Code extends keyof BuildErrorFacts = keyof BuildErrorFacts> extends DomainError<BuildErrorFacts, Code> {
  static readonly module = 'builds';
}
