import type { AUTO_CANCEL_ON_JOB_FAILURE, AUTO_CANCEL_ON_NEW_COMMIT, RuleWhen } from './rule-keywords';

/** `rules:changes`: a list is `{ paths }`. */
export interface RuleChanges {
  readonly paths: readonly string[];
  /** A ref whose commit the diff is taken from instead of the push or merge request's. */
  readonly compareTo?: string;
}

/** `rules:exists`: a string or list is `{ paths }`. */
export interface RuleExists {
  readonly paths: readonly string[];
  /** Another project's full path: its files are checked instead (at `ref`, else its default branch). */
  readonly project?: string;
  readonly ref?: string;
}

/** A `rules:needs` entry: a job name, or `{ job, artifacts, optional }`. */
export interface RuleNeed {
  readonly job: string;
  readonly artifacts: boolean;
  readonly optional: boolean;
}

/** `auto_cancel:` of `workflow:` or of a workflow rule. */
export interface AutoCancel {
  readonly onNewCommit?: (typeof AUTO_CANCEL_ON_NEW_COMMIT)[number];
  readonly onJobFailure?: (typeof AUTO_CANCEL_ON_JOB_FAILURE)[number];
}

/**
 * One validated rule. Absent keys are absent (a key written as `null` is dropped, as GitLab compacts the rule): no
 * clause (`if`, `changes`, `exists`) means the rule always matches; no `when` means the owner's default. The clauses
 * keep the order they were written in, which is the order GitLab evaluates them.
 */
export interface RuleDefinition {
  readonly if?: string;
  readonly changes?: RuleChanges;
  readonly exists?: RuleExists;
  readonly when?: RuleWhen;
  /** As written (`2 hours`); only with `when: delayed`. */
  readonly startIn?: string;
  readonly allowFailure?: boolean;
  readonly interruptible?: boolean;
  /** Override the job's (or, in `workflow:`, the pipeline's) variables when the rule matches. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Replace the job's `needs` when the rule matches; an empty list leaves them as they are (as in GitLab). */
  readonly needs?: readonly RuleNeed[];
  readonly autoCancel?: AutoCancel;
}
