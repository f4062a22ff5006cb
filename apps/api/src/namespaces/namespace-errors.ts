import { DomainError, NoFacts } from '../common/domain-error';
import type { Visibility } from '../common/visibility';

/** Why a groups use case refuses; GitLab's answers are in http-errors/namespaces.answers.ts. */
export type NamespaceErrorFacts = {
  /** A group, subgroup or project already has the path below the same parent (or at the top level). */
  readonly PATH_TAKEN: NoFacts;
  readonly PARENT_GROUP_NOT_FOUND: NoFacts;
  readonly SUBGROUP_CREATION_FORBIDDEN: NoFacts;
  readonly VISIBILITY_ABOVE_PARENT: { readonly visibility: Visibility; readonly parentVisibility: Visibility };
  /** Lowering a group's visibility below that of a subgroup or project inside it. */
  readonly VISIBILITY_BELOW_DESCENDANTS: { readonly visibility: Visibility };
  /** The group to transfer into does not exist or the caller cannot see it. */
  readonly TRANSFER_TARGET_NOT_FOUND: NoFacts;
  // `Groups::TransferService`'s refusals, in the order it checks them.
  readonly TRANSFER_ALREADY_ROOT: NoFacts;
  readonly TRANSFER_ALREADY_IN_PARENT: NoFacts;
  readonly TRANSFER_PERMISSION_DENIED: NoFacts;
  readonly TRANSFER_PATH_TAKEN: NoFacts;
  readonly TRANSFER_INTO_OWN_SUBGROUP: NoFacts;
};

export class NamespaceError<Code extends keyof NamespaceErrorFacts = keyof NamespaceErrorFacts> extends DomainError<
  NamespaceErrorFacts,
  Code
> {
  static readonly module = 'namespaces';
}
