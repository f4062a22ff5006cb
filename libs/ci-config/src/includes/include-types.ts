import type { ExpressionVariables } from '../expressions/evaluate';
import type { RulesContext } from '../rules/rule-clauses';
import type { YamlMap } from '../values';

/** A project as the loader knows it; `fullPath` is how GitLab names it in messages and in the lint's `includes`. */
export interface IncludeProject {
  readonly id: number;
  readonly fullPath: string;
}

/**
 * Where included files come from (the app reads its repository). Each call answers for the user the pipeline is
 * created for: a project they may not read is not found, so nothing about it leaks into a message.
 */
export interface IncludeLoader {
  /** The project at `path` (case-insensitive), if the user may read its code; null otherwise. */
  findProject(path: string): Promise<IncludeProject | null>;
  /** The commit a branch, tag or sha names in `project`; `HEAD` is its default branch. Null when none. */
  resolveRef(project: IncludeProject, ref: string): Promise<string | null>;
  /** A file's text at `sha`; null when the path does not exist there. */
  readFile(project: IncludeProject, sha: string, path: string): Promise<string | null>;
  /** Every file path at `sha` (no leading slash), for `local:` wildcards. */
  listFiles(project: IncludeProject, sha: string): Promise<readonly string[]>;
}

/** What an `include:` is resolved against (GitLab's `External::Context`). */
export interface IncludeContext {
  /** The project `.gitlab-ci.yml` is read from; null when there is none (a `local:` include then fails). */
  readonly project: IncludeProject | null;
  /** The commit the configuration is read at; `local:` files are read there too. */
  readonly sha: string;
  /** What include locations expand (GitLab: project, group and pipeline variables, a few predefined ones). */
  readonly variables?: ExpressionVariables;
  /**
   * How `include:rules` are evaluated for files read from `project` at `sha`; absent when the caller cannot evaluate
   * rules, in which case an include with `rules:` is refused (never ignored).
   */
  readonly rulesContext?: (project: IncludeProject | null, sha: string) => RulesContext | Promise<RulesContext>;
  /**
   * GitLab's fetch timeout (`GITLAB_CI_CONFIG_FETCH_TIMEOUT_SECONDS`, 30 s): asked before each included file is read;
   * true ends resolution with GitLab's timeout error. The caller owns the clock.
   */
  readonly timedOut?: () => boolean;
  /** GitLab's `ci_max_includes`; `CI_CONFIG_LIMITS.maxIncludes` unless set. */
  readonly maxIncludes?: number;
}

/** One included file, as GitLab's lint lists it (`File::Base#metadata`); `project`/`sha` say where it was read. */
export interface IncludedFile {
  readonly type: 'local' | 'file';
  readonly location: string;
  readonly project: string;
  readonly sha: string;
  /** `{}` for `local`, `{project, ref}` as written for `project`. */
  readonly extra: Readonly<Record<string, string>>;
  /** The project and sha of the file that included this one. */
  readonly contextProject: string | null;
  readonly contextSha: string;
}

/** The configuration with every include merged in, or GitLab's (single) include error. */
export type IncludeResolution =
  | { readonly ok: true; readonly root: YamlMap; readonly hasReferences: boolean; readonly includes: readonly IncludedFile[] }
  | { readonly ok: false; readonly errors: readonly string[] };
