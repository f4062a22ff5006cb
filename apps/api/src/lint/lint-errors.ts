import { DomainError, NoFacts } from '../common/domain-error';

/** Why linting refuses; GitLab's answers are in http-errors/lint.answers.ts. */
export type LintErrorFacts = {
  /** No `.gitlab-ci.yml` at the revision asked for. */
  readonly CI_CONFIG_NOT_FOUND: NoFacts;
};

export class LintError<Code extends keyof LintErrorFacts = keyof LintErrorFacts> extends DomainError<LintErrorFacts, Code> {
  static readonly module = 'lint';
}
