import { DomainError, NoFacts } from '../common/domain-error';
import type { RefType } from './repository-ref.entity';

/** Why a repository use case refuses; GitLab's answers are in http-errors/repository.answers.ts. */
export type RepositoryErrorFacts = {
  readonly BRANCH_NOT_FOUND: NoFacts;
  readonly TAG_NOT_FOUND: NoFacts;
  /** No commit at the revision asked for (a sha, branch or tag). */
  readonly COMMIT_NOT_FOUND: NoFacts;
  readonly FILE_NOT_FOUND: NoFacts;
  /** `GET …/repository/tree` of a path that is no directory at the revision, or of a revision that does not exist. */
  readonly TREE_NOT_FOUND: NoFacts;
  readonly BRANCH_NAME_INVALID: NoFacts;
  readonly BRANCH_EXISTS: NoFacts;
  /** The revision a new branch should start from does not resolve. */
  readonly BRANCH_START_INVALID: NoFacts;
  /** The branch's protection does not let the actor push to it (a commit, or creating it). */
  readonly PUSH_FORBIDDEN: NoFacts;
  readonly DEFAULT_BRANCH_UNDELETABLE: NoFacts;
  readonly PROTECTED_BRANCH_UNDELETABLE: NoFacts;
  readonly TAG_NAME_INVALID: NoFacts;
  readonly TAG_EXISTS: { readonly name: string };
  readonly TAG_TARGET_INVALID: { readonly ref: string };
  readonly PROTECTED_TAG_FORBIDDEN: { readonly action: 'create' | 'delete' };
  readonly PROTECTED_REF_NOT_FOUND: { readonly refType: RefType };
  readonly PROTECTED_REF_EXISTS: { readonly refType: RefType; readonly name: string };
  readonly PROTECTED_REF_PATTERN_INVALID: NoFacts;
  /** A commit naming a `start_branch` to a branch that already exists. */
  readonly BRANCH_EXISTS_FOR_START_BRANCH: { readonly branch: string };
  /** A commit to a new branch of a non-empty repository without an existing `start_branch`. */
  readonly START_BRANCH_MISSING: NoFacts;
  // What git's trees cannot hold: updating a file that is not there, creating one where a file or directory is.
  readonly FILE_TO_UPDATE_MISSING: NoFacts;
  readonly FILE_EXISTS: NoFacts;
  readonly DIRECTORY_EXISTS: NoFacts;
  readonly CONTENT_NOT_BASE64: NoFacts;
  readonly CONTENT_TOO_LARGE: { readonly maximumBytes: number };
  /** The ref moved in git since it was read (a concurrent `git push`): this write lost, as a stale push does. */
  readonly REF_MOVED: NoFacts;
};

export class RepositoryError<Code extends keyof RepositoryErrorFacts = keyof RepositoryErrorFacts> extends DomainError<
  RepositoryErrorFacts,
  Code
> {
  static readonly module = 'repository';
}
