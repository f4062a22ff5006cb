import { DomainError, NoFacts } from '../common/domain-error';

/** Why a members use case refuses; GitLab's answers are in http-errors/members.answers.ts. */
export type MemberErrorFacts = {
  readonly MEMBER_NOT_FOUND: NoFacts;
  /** The user to add does not exist. */
  readonly USER_NOT_FOUND: NoFacts;
  readonly MEMBER_EXISTS: NoFacts;
  /** The change would leave a group with no owner. */
  readonly LAST_OWNER: NoFacts;
  /** Granting, changing or removing `level` takes at least that level (only owners manage owners). */
  readonly LEVEL_ABOVE_CALLER: { readonly level: number };
};

export class MemberError<Code extends keyof MemberErrorFacts = keyof MemberErrorFacts> extends DomainError<MemberErrorFacts, Code> {
  static readonly module = 'members';
}
