import { DomainError, NoFacts } from '../common/domain-error';

/** Why a job log request is refused; the answers (GitLab's runner API) are in http-errors/job-logs.answers.ts. */
export type JobLogErrorFacts = {
  /** Not this job's token, or the job no longer runs: `jobStatus`, when known, tells the runner to stop. */
  readonly JOB_TOKEN_REFUSED: { readonly jobStatus?: string };
  readonly CONTENT_RANGE_MISSING: NoFacts;
  readonly CONTENT_RANGE_INVALID: NoFacts;
  /** The append does not start where the log ends: `size` is where it does, so the runner resends from there. */
  readonly RANGE_NOT_SATISFIABLE: { readonly size: number };
  readonly JOB_NOT_FOUND: NoFacts;
  /** `GET /job` without the token of a running job: GitLab's job-token authentication fails (401). */
  readonly JOB_TOKEN_UNAUTHORIZED: NoFacts;
};

export class JobLogError<Code extends keyof JobLogErrorFacts = keyof JobLogErrorFacts> extends DomainError<JobLogErrorFacts, Code> {
  static readonly module = 'job-logs';
}
