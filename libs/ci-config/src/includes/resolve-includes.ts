import { CI_CONFIG_LIMITS as LIMITS } from '../limits';
import { ciConfigMessages } from '../messages';
import { parseRules } from '../rules/parse-rules';
import { evaluateIncludeRules } from '../rules/evaluate-rules';
import { utf8ByteLength } from '../text-rules';
import { Problems, type YamlMap, type YamlValue, isMap, isSeq, isString } from '../values';
import { loadYaml } from '../yaml-loader';
import { deepMerge } from './deep-merge';
import {
  IncludeError,
  type IncludeLocation,
  type MatchedLocation,
  expandLocation,
  expandLocationVariables,
  locationText,
  matchLocation,
  normalizeIncludes,
} from './include-locations';
import { includeMessages as msg } from './include-messages';
import type { IncludeContext, IncludeLoader, IncludeProject, IncludeResolution, IncludedFile } from './include-types';

/** Where a file's own `include:` resolves: the project and commit it was read from (GitLab's `Context#mutate`). */
interface Scope {
  readonly project: IncludeProject | null;
  readonly sha: string;
}

/** Shared by the whole tree of one configuration (GitLab's `expandset` and size total). */
interface Run {
  readonly context: IncludeContext;
  readonly loader: IncludeLoader;
  readonly maxIncludes: number;
  readonly includes: IncludedFile[];
  bytes: number;
  nodes: number;
  hasReferences: boolean;
}

/** One file of a level, as GitLab's `File::Local`/`File::Project` validates it step by step. */
interface Candidate {
  readonly matched: MatchedLocation;
  readonly location: string;
  error: string | null;
  project?: IncludeProject;
  sha?: string;
  content?: string;
  hash?: YamlMap;
}

/**
 * GitLab's `External::Processor`: loads `source` and merges every file its `include:` names (recursively) into it:
 * included files first, in order, then the file itself, each a deep merge (`deepMerge`). Files come from `loader`,
 * which answers as the pipeline's user sees the repositories. Returns the merged configuration, ready for
 * `parseLoadedCiConfig`, or GitLab's single error. Limits: `maxIncludes` files in all (an include loop stops there),
 * `maxTotalIncludeBytes`, and the usual limits of each file.
 */
export async function resolveIncludes(source: string, context: IncludeContext, loader: IncludeLoader): Promise<IncludeResolution> {
  const loaded = loadYaml(source);
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  const run: Run = {
    context,
    loader,
    maxIncludes: context.maxIncludes ?? LIMITS.maxIncludes,
    includes: [],
    bytes: 0,
    nodes: 0,
    hasReferences: loaded.hasReferences,
  };
  try {
    const root = await expand(loaded.root, { project: context.project, sha: context.sha }, run);
    return { ok: true, root, hasReferences: run.hasReferences, includes: run.includes };
  } catch (error) {
    if (error instanceof IncludeError) return { ok: false, errors: [error.message] };
    throw error;
  }
}

/** `Processor#perform`: the files of `values`' `include:`, merged, then `values` over them, `include` removed. */
async function expand(values: YamlMap, scope: Scope, run: Run): Promise<YamlMap> {
  if (!values.has('include')) return values;
  const files = await verify(await locate(values.get('include'), scope, run), scope, run);
  const content = new Map<string, YamlValue>();
  for (const file of files) deepMerge(content, file);
  deepMerge(content, values);
  content.delete('include');
  return content;
}

/** `Mapper#process` up to the Matcher: normalise, filter by `rules`, expand globs and file lists, expand variables. */
async function locate(value: YamlValue | undefined, scope: Scope, run: Run): Promise<MatchedLocation[]> {
  const variables = run.context.variables ?? {};
  const located: IncludeLocation[] = [];
  for (const location of normalizeIncludes(value, variables)) {
    if (!(await passesRules(location, scope, run))) continue;
    const files = () => (scope.project ? run.loader.listFiles(scope.project, scope.sha) : Promise.resolve([]));
    located.push(...(await expandLocation(location, files)));
  }
  return located.map((location) => matchLocation(expandLocationVariables(location, variables)));
}

/** `Mapper::Filter`: an item without `rules` is included; with them, GitLab's `External::Rules` decides. */
async function passesRules(location: IncludeLocation, scope: Scope, run: Run): Promise<boolean> {
  if (!location.has('rules')) return true;
  if (!run.context.rulesContext) throw new IncludeError(msg.rulesNotSupported());
  const rulesContext = await run.context.rulesContext(scope.project, scope.sha);
  const problems = new Problems();
  const rules = parseRules(location.get('rules') ?? null, { kind: 'include' }, problems, rulesContext.engine);
  if (!rules) throw new IncludeError(problems.errors[0]);
  const decision = evaluateIncludeRules(rules, rulesContext);
  if (decision.error) throw new IncludeError(decision.error);
  return decision.included;
}

/**
 * `Mapper::Verifier`: counts every file (duplicates too), then validates each step for all files of the level before
 * the next (location, context, content, YAML and its own includes), and fails with the first invalid file's error.
 */
async function verify(matched: readonly MatchedLocation[], scope: Scope, run: Run): Promise<YamlMap[]> {
  const candidates: Candidate[] = matched.map((each) => ({ matched: each, location: locationOf(each), error: null }));
  for (const candidate of candidates) run.includes.push(metadata(candidate, scope));
  if (run.includes.length > run.maxIncludes) throw new IncludeError(msg.tooManyIncludes(run.maxIncludes));
  const start = run.includes.length - candidates.length;

  for (const candidate of candidates) {
    // GitLab's `check_execution_time!`, once per file.
    if (run.context.timedOut?.()) throw new IncludeError(msg.timedOut());
    candidate.error = locationError(candidate);
  }
  for (const candidate of candidates.filter(isValid)) candidate.error = await contextError(candidate, scope, run);
  for (const candidate of candidates.filter(isValid)) candidate.error = await contentError(candidate, run);
  for (const [index, candidate] of candidates.entries()) {
    if (!isValid(candidate)) continue;
    candidate.error = load(candidate, run);
    if (!isValid(candidate)) continue;
    run.includes[start + index] = metadata(candidate, scope);
    const fileScope = candidate.matched.type === 'local' ? scope : { project: candidate.project ?? null, sha: candidate.sha ?? '' };
    candidate.hash = await expand(candidate.hash as YamlMap, fileScope, run);
  }
  const invalid = candidates.find((candidate) => !isValid(candidate));
  if (invalid) throw new IncludeError(invalid.error as string);
  return candidates.map((candidate) => candidate.hash as YamlMap);
}

function isValid(candidate: Candidate): boolean {
  return candidate.error === null;
}

/** The path as GitLab's `File` classes keep it: leading slashes removed. */
function locationOf({ type, location }: MatchedLocation): string {
  const value = location.get(type === 'local' ? 'local' : 'file');
  return isString(value) ? value.replace(/^\/+/, '') : locationText(value);
}

function isYamlPath(location: string): boolean {
  const base = location.slice(location.lastIndexOf('/') + 1);
  return /.+\.(yml|yaml)$/i.test(base);
}

/** `File::Base#validate_location!`. */
function locationError({ matched, location }: Candidate): string | null {
  if (!isString(matched.location.get(matched.type === 'local' ? 'local' : 'file'))) return msg.notString(location);
  if (!isYamlPath(location)) return msg.notYaml(location);
  return null;
}

/** The project name as written, downcased (GitLab); a list means its first element (deprecated). */
function projectName(location: IncludeLocation): string {
  const value = location.get('project');
  const first = isSeq(value) ? value[0] : value;
  return locationText(first).toLowerCase();
}

function refName(location: IncludeLocation): string {
  const ref = location.get('ref');
  return ref === undefined || ref === null ? 'HEAD' : locationText(ref);
}

/** `File::Local`/`File::Project#validate_context!`; a project the user may not read is "not found" too. */
async function contextError(candidate: Candidate, scope: Scope, run: Run): Promise<string | null> {
  if (candidate.matched.type === 'local') {
    if (!scope.project) return msg.localNoProject(candidate.location);
    candidate.project = scope.project;
    candidate.sha = scope.sha;
    return null;
  }
  const name = projectName(candidate.matched.location);
  const project = await run.loader.findProject(name);
  if (!project) return msg.projectNotFound(name);
  const sha = await run.loader.resolveRef(project, refName(candidate.matched.location));
  if (!sha) return msg.refMissing(name, refName(candidate.matched.location));
  candidate.project = project;
  candidate.sha = sha;
  return null;
}

/** `validate_content!`: the file must exist and not be blank (Ruby's `blank?`: whitespace only). */
async function contentError(candidate: Candidate, run: Run): Promise<string | null> {
  const content = await run.loader.readFile(candidate.project as IncludeProject, candidate.sha as string, candidate.location);
  const local = candidate.matched.type === 'local';
  const name = projectName(candidate.matched.location);
  if (content === null) return local ? msg.localMissing(candidate.location) : msg.projectFileMissing(name, candidate.location);
  if (content.trim() === '') return local ? msg.localEmpty(candidate.location) : msg.projectFileEmpty(name, candidate.location);
  candidate.content = content;
  return null;
}

/** `load_and_validate_expanded_hash!`, plus the combined-size total (and Lanyard's bound on values). */
function load(candidate: Candidate, run: Run): string | null {
  const content = candidate.content as string;
  const loaded = loadYaml(content);
  if (!loaded.ok) {
    const [error] = loaded.errors;
    return error === ciConfigMessages.blankContent() ? msg.blankYaml(candidate.location) : msg.loadError(candidate.location, error);
  }
  run.bytes += utf8ByteLength(content);
  if (run.bytes > LIMITS.maxTotalIncludeBytes) throw new IncludeError(msg.totalTooBig());
  run.nodes += countValues(loaded.root, LIMITS.maxNodes - run.nodes);
  if (run.nodes > LIMITS.maxNodes) throw new IncludeError(msg.totalNodes());
  run.hasReferences ||= loaded.hasReferences;
  candidate.hash = loaded.root;
  return null;
}

/** Values under `root`, counting stopped once past `budget`. */
function countValues(root: YamlMap, budget: number): number {
  let count = 0;
  const stack: YamlValue[] = [root];
  while (stack.length > 0 && count <= budget) {
    const value = stack.pop() as YamlValue;
    count++;
    if (isSeq(value)) for (const item of value) stack.push(item);
    else if (isMap(value)) for (const item of value.values()) stack.push(item);
  }
  return count;
}

/** `File::Base#metadata` (the lint's `includes`). */
function metadata(candidate: Candidate, scope: Scope): IncludedFile {
  const { type, location } = candidate.matched;
  const context = { contextProject: scope.project?.fullPath ?? null, contextSha: scope.sha };
  if (type === 'local') {
    return { type: 'local', location: candidate.location, project: scope.project?.fullPath ?? '', sha: scope.sha, extra: {}, ...context };
  }
  return {
    type: 'file',
    location: candidate.location,
    project: candidate.project?.fullPath ?? '',
    sha: candidate.sha ?? '',
    extra: { project: projectName(location), ref: refName(location) },
    ...context,
  };
}
