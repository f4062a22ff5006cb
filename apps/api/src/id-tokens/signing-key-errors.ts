import type { SigningKeyState } from '@lanyard/id-tokens';
import { DomainError, NoFacts } from '../common/domain-error';

/** Why a signing-key change is refused; the answers are in http-errors/id-tokens.answers.ts. `kid`: the key's id. */
export type SigningKeyErrorFacts = {
  readonly SIGNING_KEY_NOT_FOUND: NoFacts;
  readonly ACTIVATE_NOT_NEXT: { readonly kid: string; readonly state: SigningKeyState };
  /** Verifiers have not had the publish lead time to fetch the key yet; `usableFrom`: an ISO 8601 time. */
  readonly ACTIVATE_TOO_EARLY: { readonly kid: string; readonly usableFrom: string };
  readonly RETIRE_ALREADY_RETIRED: { readonly kid: string };
  readonly RETIRE_REVOKED: { readonly kid: string };
  /** The active key retires only when a next key is activated, so signing never stops. */
  readonly RETIRE_ACTIVE: { readonly kid: string };
  readonly REVOKE_ALREADY_REVOKED: { readonly kid: string };
  /** Revoking the only key that can sign would leave no signer; a next key must exist to be promoted. */
  readonly REVOKE_ONLY_SIGNER: { readonly kid: string };
};

export class SigningKeyError<Code extends keyof SigningKeyErrorFacts = keyof SigningKeyErrorFacts> extends DomainError<
  SigningKeyErrorFacts,
  Code
> {
  static readonly module = 'id-tokens';
}
