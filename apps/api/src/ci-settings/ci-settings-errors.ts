import { DomainError } from '../common/domain-error';

/** Why a CI/CD settings change is refused; GitLab's answers are in http-errors/ci-settings.answers.ts. */
export type CiSettingsErrorFacts = {
  /** `problems`: GitLab's messages about the `sub` components, each a sentence (libs/id-tokens). */
  readonly SUB_CLAIM_COMPONENTS_INVALID: { readonly problems: readonly string[] };
};

export class CiSettingsError<Code extends keyof CiSettingsErrorFacts = keyof CiSettingsErrorFacts> extends DomainError<
  CiSettingsErrorFacts,
  Code
> {
  static readonly module = 'ci-settings';
}
