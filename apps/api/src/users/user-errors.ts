import { DomainError, NoFacts } from '../common/domain-error';

/** Why a users use case refuses; GitLab's answers are in http-errors/users.answers.ts. */
export type UserErrorFacts = {
  readonly USER_NOT_FOUND: NoFacts;
  /** An admin blocking themself would lock out the API's own caller. */
  readonly SELF_BLOCK: NoFacts;
  /** Taken by a user, or by a top-level namespace (a username is its personal namespace's path). */
  readonly USERNAME_TAKEN: NoFacts;
  readonly EMAIL_TAKEN: NoFacts;
  readonly TOKEN_SCOPE_UNKNOWN: NoFacts;
  readonly TOKEN_EXPIRY_NOT_FUTURE: NoFacts;
};

export class UserError<Code extends keyof UserErrorFacts = keyof UserErrorFacts> extends DomainError<UserErrorFacts, Code> {
  static readonly module = 'users';
}
