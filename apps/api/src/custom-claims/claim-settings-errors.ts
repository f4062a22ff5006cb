import { DomainError, NoFacts } from '../common/domain-error';

/** Why a custom-claim or claim-name change is refused; GitLab-style answers are in http-errors/custom-claims.answers.ts. */
export type ClaimSettingsErrorFacts = {
  /** A registered JWT or OpenID Connect name, or a built-in claim: reserved everywhere. */
  readonly CLAIM_NAME_RESERVED: { readonly name: string };
  readonly CLAIM_NAME_INVALID: NoFacts;
  /** The group a name is registered to does not exist. */
  readonly CLAIM_NAME_OWNER_NOT_FOUND: NoFacts;
  readonly CLAIM_NAME_OWNER_NOT_TOP_LEVEL: NoFacts;
  readonly CLAIM_NAME_TAKEN: { readonly name: string };
  readonly CLAIM_NAME_NOT_FOUND: NoFacts;
  /** Stored levels that no longer merge (a project moved under a group that locks its claim); `reasons` name each. */
  readonly STORED_CLAIMS_CONFLICT: { readonly reasons: readonly string[] };
  /** A replacement set that would not merge with the levels above and below; `reasons` name each conflict. */
  readonly CLAIMS_INVALID: { readonly reasons: readonly string[] };
};

export class ClaimSettingsError<Code extends keyof ClaimSettingsErrorFacts = keyof ClaimSettingsErrorFacts> extends DomainError<
  ClaimSettingsErrorFacts,
  Code
> {
  static readonly module = 'custom-claims';
}
