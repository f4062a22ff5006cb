import { DomainError, NoFacts } from '../common/domain-error';

/** Why an access decision refuses; GitLab's answers are in http-errors/auth.answers.ts. */
export type AuthErrorFacts = {
  /** The caller may not see the resource, so it does not exist for them; `resource` as GitLab names it (`Project`). */
  readonly RESOURCE_NOT_VISIBLE: { readonly resource: string };
  /** The caller sees the resource but lacks the access level the action takes. */
  readonly ACCESS_LEVEL_TOO_LOW: NoFacts;
};

export class AuthError<Code extends keyof AuthErrorFacts = keyof AuthErrorFacts> extends DomainError<AuthErrorFacts, Code> {
  static readonly module = 'auth';
}
