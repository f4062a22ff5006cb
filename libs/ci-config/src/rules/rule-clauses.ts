import type { ExpressionVariables } from '../expressions/evaluate';
import type { PatternEngine } from '../expressions/pattern-engine';
import { isTruthful } from '../expressions/statement';
import { expandExisting } from './expand-variables';
import { fnmatch } from './fnmatch';
import { RULES_LIMITS } from './rule-keywords';
import { rulesMessages as msg } from './rule-messages';
import type { RuleChanges, RuleDefinition, RuleExists } from './rule-types';

/** Another project's files for `exists:project`, or why there are none. */
export type ProjectFiles =
  | { readonly files: readonly string[] }
  /** Not found, or the user may not read its code (GitLab says the same for both). */
  | { readonly missing: 'project' }
  /** `ref` names no commit; `projectPath` is the project's full path as GitLab spells it. */
  | { readonly missing: 'ref'; readonly projectPath: string };

/** What the repository holds for the pipeline being created; the caller reads it from Git before evaluating. */
export interface RepositoryFacts {
  /**
   * GitLab's `pipeline.modified_paths`: the push's diff (before..sha) in a branch pipeline, the merge request's diff
   * in a merge-request pipeline; null when there is nothing to compare (a tag, a new branch, a schedule, a web or API
   * pipeline), which makes every `changes` clause true.
   */
  readonly changedPaths: readonly string[] | null;
  /** `changes:compare_to`: paths changed from the merge base of `ref` to the pipeline's sha; undefined if `ref` names no commit. */
  readonly changedPathsSince: (ref: string) => readonly string[] | undefined;
  /** Every file path at the pipeline's sha (`git ls-files`), for `exists`. */
  readonly files: readonly string[];
  /** `exists:project`: the files of `project` at `ref`, or at its default branch's head when `ref` is null. */
  readonly filesInProject: (project: string, ref: string | null) => ProjectFiles;
}

/** Everything a rule is evaluated against. */
export interface RulesContext {
  /** GitLab's `variables_hash`: what `if:` reads, values as stored (a `$OTHER` inside a value stays as written). */
  readonly variables: ExpressionVariables;
  /** GitLab's `variables_hash_expanded`: what `changes`/`exists` paths, `compare_to`, `project` and `ref` expand with. */
  readonly expandedVariables: ExpressionVariables;
  readonly repository: RepositoryFacts;
  /** Shared by every evaluation of one pipeline creation (and its validation). */
  readonly engine: PatternEngine;
  /** Values of masked variables, which GitLab hides (as `x`s) in `exists:project` messages. */
  readonly maskedValues?: readonly string[];
}

/** GitLab's `Rule::Clause::ParseError`: the rule cannot be evaluated, so the job is not created and the error shown. */
export class RuleClauseError extends Error {
  override readonly name = 'RuleClauseError';
}

export type ClauseName = 'if' | 'changes' | 'exists';

/** The rule's clauses in the order written, each ready to evaluate. */
export function ruleClauses(rule: RuleDefinition, context: RulesContext): [ClauseName, () => boolean][] {
  const clauses: [ClauseName, () => boolean][] = [];
  for (const key of Object.keys(rule)) {
    if (key === 'if' && rule.if !== undefined) clauses.push(['if', () => isTruthful(rule.if as string, context.variables, context.engine)]);
    if (key === 'changes' && rule.changes) clauses.push(['changes', () => changesMatch(rule.changes as RuleChanges, context)]);
    if (key === 'exists' && rule.exists) clauses.push(['exists', () => existsMatch(rule.exists as RuleExists, context)]);
  }
  return clauses;
}

/** GitLab's `Clause::Changes#satisfied_by?`. */
export function changesMatch(changes: RuleChanges, context: RulesContext): boolean {
  const { repository, expandedVariables, engine } = context;
  let modified = repository.changedPaths;
  if (changes.compareTo !== undefined) {
    const since = repository.changedPathsSince(expandExisting(changes.compareTo, expandedVariables));
    if (since === undefined) throw new RuleClauseError(msg.compareToInvalid());
    modified = since;
  }
  if (modified === null) return true;
  if (modified.length === 0) return false;
  const globs = unique(unique(changes.paths).map((path) => expandExisting(path, expandedVariables)));
  if (globs.length === 0) return false;
  if (modified.length * globs.length > RULES_LIMITS.maxGlobComparisons) return true;
  return modified.some((path) => globs.some((glob) => fnmatch(glob, path, engine)));
}

const GLOB_CHARACTERS = ['*', '?', '[', '{'];
const NESTED_WILDCARD = '**/*';

/**
 * GitLab's `Clause::Exists#satisfied_by?`: exact paths are looked up, `**\/*.ext` globs compare endings, the rest are
 * fnmatch'ed. A path ending in `/` matches any file below it (GitLab binary-searches for it with a predicate that is
 * not monotonic, so it can miss; Lanyard does what it means).
 */
export function existsMatch(exists: RuleExists, context: RulesContext): boolean {
  if (exists.paths.length === 0) return false;
  const { expandedVariables, engine } = context;
  const allFiles = exists.project === undefined ? context.repository.files : projectFiles(exists, context);
  const globs = exists.paths.map((path) => expandExisting(path, expandedVariables));
  // GitLab lists only the top directory when every glob stays in it; that also bounds its comparison count.
  const files = globs.every((glob) => !glob.includes('/') && !glob.includes('**')) ? topLevel(allFiles) : allFiles;
  const exact: string[] = [];
  const endings: string[] = [];
  const patterns: string[] = [];
  for (const glob of globs) {
    const ending = endingOf(glob);
    if (isExactGlob(glob)) exact.push(glob);
    else if (ending !== null) endings.push(ending);
    else patterns.push(glob);
  }

  engine.charge(files.length * (endings.length + 1));
  const fileSet = fileSetOf(files);
  if (exact.some((glob) => (glob.endsWith('/') ? files.some((file) => file.startsWith(glob)) : fileSet.has(glob)))) return true;
  if (endings.length > 0 && files.some((file) => endings.some((ending) => file.endsWith(ending)))) return true;
  if (files.length * patterns.length > RULES_LIMITS.maxGlobComparisons) return true;
  return patterns.some((glob) => files.some((file) => fnmatch(glob, file, engine)));
}

/** GitLab's `exact_glob?`: no fnmatch metacharacter. */
function isExactGlob(glob: string): boolean {
  return !GLOB_CHARACTERS.some((char) => glob.includes(char));
}

/** GitLab's `extension_glob?` on a glob that is not exact: `**\/*.ext` is compared as the ending `.ext`; else null. */
function endingOf(glob: string): string | null {
  const rest = glob.startsWith(NESTED_WILDCARD) ? glob.slice(NESTED_WILDCARD.length) : glob;
  return rest.startsWith('.') && !rest.includes('/') && isExactGlob(rest) ? rest : null;
}

function projectFiles(exists: RuleExists, context: RulesContext): readonly string[] {
  const mask = (text: string) =>
    (context.maskedValues ?? [])
      .filter((value) => value !== '')
      .reduce((masked, value) => masked.replaceAll(value, 'x'.repeat(value.length)), text);
  const project = expandExisting(exists.project as string, context.expandedVariables);
  const ref = exists.ref === undefined ? null : expandExisting(exists.ref, context.expandedVariables);
  const found = context.repository.filesInProject(project, ref);
  if ('files' in found) return found.files;
  if (found.missing === 'project') throw new RuleClauseError(msg.existsProjectNotFound(mask(project)));
  throw new RuleClauseError(msg.existsRefInvalid(mask(ref ?? ''), mask(found.projectPath)));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

// A pipeline evaluates many rules against the same file list: derive from it once.
const topLevelFiles = new WeakMap<readonly string[], readonly string[]>();
const fileSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function topLevel(files: readonly string[]): readonly string[] {
  let top = topLevelFiles.get(files);
  if (!top) topLevelFiles.set(files, (top = files.filter((file) => !file.includes('/'))));
  return top;
}

function fileSetOf(files: readonly string[]): ReadonlySet<string> {
  let set = fileSets.get(files);
  if (!set) fileSets.set(files, (set = new Set(files)));
  return set;
}
