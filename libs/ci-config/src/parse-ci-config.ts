import { parseDefault } from './default-entry';
import { expandExtends } from './extends';
import { parseJob } from './job-entry';
import { checkJobGraph } from './job-graph';
import {
  DEFAULT_STAGES,
  EDGE_STAGES,
  GLOBAL_VARIABLE_DATA_KEYWORDS,
  KEYWORDS_IN_PROGRESS,
  ROOT_KEYWORDS,
  UNSUPPORTED_ROOT_KEYWORDS,
} from './keywords';
import { type ParallelSetting, expandParallelJobs } from './parallel-entry';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { buildMergedYaml } from './merged-yaml';
import { resolveReferences } from './references';
import { ciConfigMessages as msg } from './messages';
import type { CiConfigResult, JobDefinition, ParseCiConfigOptions } from './types';
import { Problems, type YamlMap, type YamlValue, isSeq, isString, ownRecord } from './values';
import { PatternEngine } from './expressions/pattern-engine';
import { parseWorkflow } from './rules/workflow';
import { parseVariables } from './variables-entry';
import { loadYaml } from './yaml-loader';

const ROOT_KEYS = new Set<string>([...ROOT_KEYWORDS, ...UNSUPPORTED_ROOT_KEYWORDS]);

/** Top-level keywords refused: not built, or not carried out by the caller yet (`refusedKeywords`). */
function refusedRootKeys(refused: readonly string[]): Set<string> {
  return new Set<string>([...UNSUPPORTED_ROOT_KEYWORDS, ...refused.filter((key) => (ROOT_KEYWORDS as readonly string[]).includes(key))]);
}

/**
 * Parses and lints a `.gitlab-ci.yml` (the DESIGN §5a subset). Total: every failure, however hostile the input, is a
 * lint error in the result, never an exception.
 */
export function parseCiConfig(source: string, options: ParseCiConfigOptions): CiConfigResult {
  try {
    if (typeof source !== 'string') return invalid([msg.blankContent()], [], null);
    const loaded = loadYaml(source);
    if (!loaded.ok) return invalid(loaded.errors, [], null);
    // Its `include:` is not resolved here (that is `resolveIncludes`, which needs the repository): refused, never ignored.
    return parse(loaded, { ...options, refusedKeywords: [...(options.refusedKeywords ?? KEYWORDS_IN_PROGRESS), 'include'] });
  } catch {
    return invalid([msg.internalError()], [], null);
  }
}

/** A configuration already loaded, its includes merged (`resolveIncludes`). */
export interface LoadedCiConfig {
  readonly root: YamlMap;
  readonly hasReferences: boolean;
}

/** `parseCiConfig` for a configuration `resolveIncludes` loaded and merged. Total, as `parseCiConfig`. */
export function parseLoadedCiConfig(loaded: LoadedCiConfig, options: ParseCiConfigOptions): CiConfigResult {
  try {
    return parse(loaded, options);
  } catch {
    return invalid([msg.internalError()], [], null);
  }
}

function parse(loaded: LoadedCiConfig, options: ParseCiConfigOptions): CiConfigResult {
  // GitLab expands `extends` first, on the raw hash, and stops at its first problem.
  const entryKeys = [...loaded.root.keys()].filter((key) => !ROOT_KEYS.has(key));
  const expansion = expandExtends(loaded.root, entryKeys);
  if (!expansion.ok) return invalid([expansion.error], [], null);
  // Then `!reference` tags, against the configuration as `extends` left it (GitLab's order).
  const references = loaded.hasReferences ? resolveReferences(expansion.root) : expansion;
  if (!references.ok) return invalid([references.error], [], null);
  const root = references.root;
  const jobNames = entryKeys.filter((key) => !key.startsWith('.'));
  // Each job gets its own copy of the global variables and of `default:`, so they count once per job.
  const inheritedPerJob = countValues([root.get('variables') ?? null, root.get('default') ?? null]);
  const expandedSize = countValues(jobNames.map((name) => root.get(name) ?? null)) + jobNames.length * inheritedPerJob;
  if (expandedSize > LIMITS.maxNodes) return invalid([msg.tooManyNodes()], [], null);

  const problems = new Problems();
  const refused: readonly string[] = options.refusedKeywords ?? KEYWORDS_IN_PROGRESS;
  const refusedRoot = refusedRootKeys(refused);
  const unsupported = [...root.keys()].filter((key) => refusedRoot.has(key));
  if (unsupported.length > 0) problems.error(msg.unsupportedRootKeys(unsupported));
  const stages = parseStages(root.get('stages'), problems);
  const globalVariables = root.has('variables')
    ? parseVariables(root.get('variables') ?? null, 'variables', GLOBAL_VARIABLE_DATA_KEYWORDS, problems)
    : new Map<string, string>();
  const defaults = parseDefault(root, refused, problems);
  // One engine per configuration: its work budget bounds every regex of the file together.
  const engine = new PatternEngine();
  const workflow = refusedRoot.has('workflow') ? { hasRules: false } : parseWorkflow(root.get('workflow'), problems, engine);

  if (jobNames.length === 0) problems.error(msg.noVisibleJobs());
  const context = {
    stages,
    globalVariables,
    defaults,
    optInJwt: options.optInJwt,
    refusedKeywords: refused,
    hasWorkflowRules: workflow?.hasRules ?? false,
    engine,
  };
  const parsed: JobDefinition[] = [];
  const parallel = new Map<string, ParallelSetting>();
  for (const name of jobNames) {
    const entry = parseJob(name, root.get(name) ?? null, context, problems);
    if (entry) parsed.push(entry.job);
    if (entry?.parallel) parallel.set(name, entry.parallel);
  }
  // GitLab checks needs and dependencies on the jobs `parallel:` leaves, and only once each job is valid.
  const jobs = problems.errors.length === 0 ? expandParallelJobs(parsed, parallel) : parsed;
  if (!jobs) return invalid([msg.tooManyNodes()], problems.warnings, null);
  if (problems.errors.length === 0) checkJobGraph(jobs, stages, problems);

  const mergedYaml = options.mergedYaml === false ? null : buildMergedYaml(root, new Set(jobNames));
  if (problems.errors.length > 0) return invalid(problems.errors, problems.warnings, mergedYaml);
  return {
    valid: true,
    errors: [],
    warnings: unique(problems.warnings),
    stages: [...stages],
    jobs,
    mergedYaml,
    workflow: workflow ?? { hasRules: false },
    globalVariables: ownRecord(globalVariables),
  };
}

function invalid(errors: readonly string[], warnings: readonly string[], mergedYaml: string | null): CiConfigResult {
  return { valid: false, errors: unique(errors), warnings: unique(warnings), stages: [], jobs: [], mergedYaml };
}

function unique(messages: readonly string[]): string[] {
  return [...new Set(messages)];
}

/** GitLab: `Entry::Stages` (nested arrays flattened), wrapped in `.pre` and `.post` by `EdgeStagesInjector`. */
function parseStages(value: YamlValue | undefined, problems: Problems): readonly string[] {
  if (value === undefined || value === null) return DEFAULT_STAGES;
  const stages: string[] = [];
  if (!flatten(value, 1, stages)) {
    problems.error(msg.stagesInvalid());
    return DEFAULT_STAGES;
  }
  if (stages.some((stage) => stage.length > LIMITS.maxStageNameLength)) problems.error(msg.stageNameTooLong());
  const named = stages.filter((stage) => !(EDGE_STAGES as readonly string[]).includes(stage));
  return unique([EDGE_STAGES[0], ...named, EDGE_STAGES[1]]);
}

function flatten(value: YamlValue, level: number, into: string[]): boolean {
  if (!isSeq(value) || level > LIMITS.maxScriptNesting) return false;
  return value.every((item) => (isString(item) ? (into.push(item), true) : flatten(item, level + 1, into)));
}

/** Values under `values`, each appearance of a shared subtree counted; stops counting past the limit. */
function countValues(values: readonly YamlValue[]): number {
  let count = 0;
  const stack: YamlValue[] = [...values];
  while (stack.length > 0 && count <= LIMITS.maxNodes) {
    const value = stack.pop() as YamlValue;
    count++;
    // No spread: a call with hundreds of thousands of arguments overflows the stack.
    if (isSeq(value)) for (const item of value) stack.push(item);
    else if (value instanceof Map) for (const item of (value as YamlMap).values()) stack.push(item);
  }
  return count;
}
