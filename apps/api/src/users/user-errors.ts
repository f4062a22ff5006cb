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
  /** A rotated token's expiry beyond GitLab's maximum lifetime (365 days from today). */
  readonly TOKEN_EXPIRY_TOO_LATE: { readonly latest: string };
  /** An admin asked for the tokens of a user that does not exist; GitLab's bare `not_found!`. */
  readonly TOKEN_OWNER_NOT_FOUND: NoFacts;
  /** No such token, told only to admins: anyone else learns nothing about other users' token ids. */
  readonly TOKEN_NOT_FOUND: NoFacts;
  /** A non-admin named another user's token, or a token that does not exist (GitLab's `unauthorized!`). */
  readonly TOKEN_OF_ANOTHER_USER: NoFacts;
  /** A non-admin revoking another user's token: GitLab's RevokeService refuses, answered as a bare 400. */
  readonly TOKEN_REVOKE_NOT_PERMITTED: NoFacts;
  readonly TOKEN_ALREADY_REVOKED: NoFacts;
};

export class UserError<Code extends keyof UserErrorFacts = keyof UserErrorFacts> extends DomainError<UserErrorFacts, Code> {
  static readonly module = 'users';
}
