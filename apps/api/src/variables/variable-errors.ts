import { DomainError, NoFacts } from '../common/domain-error';

/** Why a CI/CD variables use case refuses; GitLab's answers are in http-errors/variables.answers.ts. */
export type VariableErrorFacts = {
  readonly VARIABLE_NOT_FOUND: NoFacts;
  /** Several variables have the key (one per environment scope) and no `filter[environment_scope]` picks one. */
  readonly VARIABLE_AMBIGUOUS: NoFacts;
  /** A masked variable's value that masking could not hide in a job log. */
  readonly VALUE_NOT_MASKABLE: NoFacts;
  /** The owner already has a variable with the key in that environment scope. */
  readonly KEY_TAKEN: { readonly key: string };
};

export class VariableError<Code extends keyof VariableErrorFacts = keyof VariableErrorFacts> extends DomainError<VariableErrorFacts, Code> {
  static readonly module = 'variables';
}
