import { DomainError, NoFacts } from '../common/domain-error';

/** Why a merge-requests use case refuses; GitLab's answers are in http-errors/merge-requests.answers.ts. */
export type MergeRequestErrorFacts = {
  readonly MERGE_REQUEST_NOT_FOUND: NoFacts;
  /** The target project does not exist or the caller cannot see it. */
  readonly TARGET_PROJECT_NOT_FOUND: NoFacts;
  readonly NOT_A_FORK_OF_TARGET: NoFacts;
  readonly SAME_SOURCE_AND_TARGET: NoFacts;
  readonly SOURCE_BRANCH_MISSING: { readonly branch: string };
  readonly TARGET_BRANCH_MISSING: { readonly branch: string };
  /** An open merge request already joins the same branches (`iid`: its number). */
  readonly OPEN_DUPLICATE: { readonly iid: number };
  /** Reading merge requests of a private project takes a reporter. */
  readonly READ_FORBIDDEN: NoFacts;
  /** Changing one takes its author or a developer of the target. */
  readonly UPDATE_FORBIDDEN: NoFacts;
  /** Its source project was deleted: no code is left to run a pipeline for. */
  readonly SOURCE_PROJECT_DELETED: NoFacts;
  /** Nobody may run its pipeline: neither in the target nor in the source project. */
  readonly PIPELINE_NOT_ALLOWED: NoFacts;
};

export class MergeRequestError<Code extends keyof MergeRequestErrorFacts = keyof MergeRequestErrorFacts> extends DomainError<
  MergeRequestErrorFacts,
  Code
> {
  static readonly module = 'merge-requests';
}
