import { DomainError, NoFacts } from '../common/domain-error';

/** Why a runners use case refuses; GitLab's answers are in http-errors/runners.answers.ts. */
export type RunnerErrorFacts = {
  readonly GITLAB_HOSTED_ADMIN_ONLY: NoFacts;
  readonly INSTANCE_RUNNER_ADMIN_ONLY: NoFacts;
  /** `GET /runners/all` by anyone but an administrator. */
  readonly ADMIN_ONLY: NoFacts;
  /** `PUT /runners/:id` without any attribute to change. */
  readonly NOTHING_TO_UPDATE: NoFacts;
  /** A runner's token that names no runner, or a paused one. */
  readonly RUNNER_TOKEN_REFUSED: NoFacts;
  readonly RUNNER_NOT_FOUND: NoFacts;
  readonly MANAGEMENT_FORBIDDEN: NoFacts;
  /** The group or project a new runner is for does not exist. */
  readonly GROUP_NOT_FOUND: NoFacts;
  readonly PROJECT_NOT_FOUND: NoFacts;
  /** GitLab's `Ci::Runner#tag_constraints`: a runner that takes no untagged job needs a tag. */
  readonly TAGS_REQUIRED: NoFacts;
};

export class RunnerError<Code extends keyof RunnerErrorFacts = keyof RunnerErrorFacts> extends DomainError<RunnerErrorFacts, Code> {
  static readonly module = 'runners';
}
