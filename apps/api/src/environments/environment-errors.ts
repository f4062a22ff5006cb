import { DomainError, NoFacts } from '../common/domain-error';

/** Why an environments use case refuses; GitLab's answers are in http-errors/environments.answers.ts. */
export type EnvironmentErrorFacts = {
  readonly ENVIRONMENT_NOT_FOUND: NoFacts;
  readonly NAME_TAKEN: NoFacts;
  /** A name GitLab would not accept for an environment. */
  readonly NAME_INVALID: NoFacts;
  readonly PROTECTED_ENVIRONMENT_NOT_FOUND: NoFacts;
  readonly PROTECTED_ENVIRONMENT_EXISTS: { readonly name: string };
  /** A deploy access entry names a user that does not exist. */
  readonly DEPLOY_USER_MISSING: NoFacts;
  /** A deploy access entry names a group that does not exist or that the caller cannot see. */
  readonly DEPLOY_GROUP_MISSING: NoFacts;
};

export class EnvironmentError<Code extends keyof EnvironmentErrorFacts = keyof EnvironmentErrorFacts> extends DomainError<
  EnvironmentErrorFacts,
  Code
> {
  static readonly module = 'environments';
}
