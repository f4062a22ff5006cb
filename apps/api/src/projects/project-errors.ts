import { DomainError, NoFacts } from '../common/domain-error';
import type { Visibility } from '../common/visibility';

/** Why a projects use case refuses; GitLab's answers are in http-errors/projects.answers.ts. */
export type ProjectErrorFacts = {
  readonly NAME_OR_PATH_REQUIRED: NoFacts;
  /** The name gives no path (nothing of it is allowed in a path). */
  readonly PATH_NOT_DERIVABLE: NoFacts;
  /** A path derived from the name breaks GitLab's path rule (a name such as `thing.git`). */
  readonly PATH_INVALID: NoFacts;
  /** A project or subgroup of the namespace already has the path. */
  readonly PATH_TAKEN: NoFacts;
  /** The same, for a fork: GitLab answers a fork it cannot save with 409. */
  readonly FORK_PATH_TAKEN: NoFacts;
  readonly VISIBILITY_ABOVE_GROUP: { readonly visibility: Visibility; readonly groupVisibility: Visibility };
  readonly VISIBILITY_ABOVE_FORK_SOURCE: { readonly visibility: Visibility };
  /** Renaming, moving the path or changing the visibility takes an owner. */
  readonly OWNER_ONLY_CHANGE: NoFacts;
  /** Setting the pipeline variables role to or from `owner` takes an owner. */
  readonly OVERRIDE_ROLE_OWNER_CHANGE: { readonly direction: 'to' | 'from' };
  readonly DEFAULT_BRANCH_MISSING: NoFacts;
  /** The namespace does not exist or the caller cannot see it. */
  readonly NAMESPACE_NOT_FOUND: NoFacts;
  readonly PROJECT_CREATION_FORBIDDEN: NoFacts;
  readonly FORK_FORBIDDEN: NoFacts;
  // `Projects::TransferService`'s refusals, in the order it checks them.
  readonly TRANSFER_SAME_NAMESPACE: NoFacts;
  readonly TRANSFER_PERMISSION_DENIED: NoFacts;
  readonly TRANSFER_NAME_OR_PATH_TAKEN: NoFacts;
  /** The project a reclaimed path is to be released for. */
  readonly PROJECT_NOT_FOUND: NoFacts;
  /** No other project ever gave the path up. */
  readonly RECLAIMED_PATH_NOT_FOUND: NoFacts;
};

export class ProjectError<Code extends keyof ProjectErrorFacts = keyof ProjectErrorFacts> extends DomainError<ProjectErrorFacts, Code> {
  static readonly module = 'projects';
}
