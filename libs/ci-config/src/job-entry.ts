import { type DefaultDefinition, inherits, isSet, parseInheritable, parseInherit } from './default-entry';
import { parseEnvironment } from './environment-entry';
import { DEFAULT_JOB_STAGE, JOB_KEYWORDS, JOB_VARIABLE_DATA_KEYWORDS } from './keywords';
import type { DefaultKeyword } from './keywords';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { parseDependencies, parseNeeds } from './needs-entry';
import { type ParallelSetting, parseParallel } from './parallel-entry';
import { parseSecrets } from './secrets-entry';
import { parseCoverage, parseResourceGroup } from './simple-entries';
import type { JobDefinition } from './types';
import { Problems, type YamlMap, type YamlValue, isMap, isString, ownRecord } from './values';
import { parseVariables } from './variables-entry';
import { parseWhen } from './when-entry';
import { parseCommands } from './commands';
import type { PatternEngine } from './expressions/pattern-engine';
import { parseInclusion } from './rules/inclusion-entry';

export interface JobContext {
  readonly stages: readonly string[];
  readonly globalVariables: ReadonlyMap<string, string>;
  readonly defaults: DefaultDefinition;
  readonly optInJwt: boolean;
  /** Keywords refused wherever they appear (`ParseCiConfigOptions.refusedKeywords`). */
  readonly refusedKeywords: readonly string[];
  /** Whether `workflow:rules` is written (it removes every job's `only` default). */
  readonly hasWorkflowRules: boolean;
  /** Compiles the regexes of `rules:if` and `only`/`except`; one per configuration. */
  readonly engine: PatternEngine;
}

export interface ParsedJob {
  readonly job: JobDefinition;
  /** `parallel:`, applied once every job is parsed (it renames jobs that others may need). */
  readonly parallel: ParallelSetting | null;
}

/** Job keys refused: unknown to GitLab, not built, or not carried out by the caller yet (`refusedKeywords`). */
function refusedKeys(job: YamlMap, refused: readonly string[]): string[] {
  const allowed: readonly string[] = JOB_KEYWORDS;
  return [...job.keys()].filter((key) => !allowed.includes(key) || refused.includes(key));
}

/** One visible job after `extends` and `!reference` (GitLab: `Entry::Job`, then `YamlProcessor#validate_job_stage!`). */
export function parseJob(name: string, value: YamlValue, context: JobContext, problems: Problems): ParsedJob | null {
  // GitLab: a hash without `script:` is not a job at all.
  if (!isMap(value) || !value.has('script')) {
    problems.error(msg.jobWithoutScript(name));
    return null;
  }
  const location = `jobs:${name}`;
  if (name.length > LIMITS.maxJobNameLength) problems.error(msg.jobNameTooLong(name));
  const extra = refusedKeys(value, context.refusedKeywords);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const entry = (key: string): YamlValue => value.get(key) ?? null;

  const script = parseScript(entry('script'), name, problems);
  const stage = parseStage(value, name, context.stages, problems);
  const inherit = parseInherit(value.get('inherit'), `${location}:inherit`, problems);
  const variables = new Map([...context.globalVariables].filter(([variable]) => inherits(inherit.variables, variable)));
  if (isSet(value, 'variables')) {
    const own = parseVariables(entry('variables'), `${location}:variables`, JOB_VARIABLE_DATA_KEYWORDS, problems);
    for (const [variable, data] of own) variables.set(variable, data);
  }
  const environment = isSet(value, 'environment') ? parseEnvironment(entry('environment'), `${location}:environment`, problems) : null;

  // A job's own key replaces `default:`'s entirely (GitLab: `Inheritable#overwrite_entry`); never a merge.
  const inherited = <K extends DefaultKeyword>(key: K) =>
    isSet(value, key)
      ? parseInheritable(key, entry(key), `${location}:${key}`, problems)
      : inherits(inherit.default, key)
        ? context.defaults[key]
        : undefined;
  const idTokens = inherited('id_tokens') ?? new Map();
  const secrets = isSet(value, 'secrets')
    ? parseSecrets(entry('secrets'), `${location}:secrets`, { idTokenNames: [...idTokens.keys()], optInJwt: context.optInJwt }, problems)
    : new Map();
  const jwtClaims = inherited('jwt_claims') ?? null;
  const when = parseWhen(value, location, problems);
  const inclusion = parseInclusion(name, value, context, problems);
  const needs = isSet(value, 'needs') ? parseNeeds(entry('needs'), `${location}:needs`, problems) : null;
  const own = <T>(
    key: string,
    parse: (setting: YamlValue, at: string, problems: Problems) => T | null,
    at = `${location}:${key}`,
  ): T | null => (isSet(value, key) ? parse(entry(key), at, problems) : null);

  const job: JobDefinition = {
    name,
    stage,
    script,
    variables: ownRecord(variables),
    environment,
    timeoutSeconds: inherited('timeout') ?? null,
    idTokens: ownRecord(idTokens),
    secrets: ownRecord(secrets),
    jwtClaims: jwtClaims ? ownRecord(jwtClaims) : null,
    beforeScript: inherited('before_script') ?? [],
    afterScript: inherited('after_script') ?? null,
    image: inherited('image') ?? null,
    services: inherited('services') ?? [],
    artifacts: inherited('artifacts') ?? null,
    cache: inherited('cache') ?? [],
    tags: inherited('tags') ?? [],
    ...when,
    retry: inherited('retry') ?? null,
    interruptible: inherited('interruptible') ?? false,
    needs,
    dependencies: own('dependencies', (setting, at, found) => parseDependencies(setting, at, needs, found), location),
    coverage: own('coverage', parseCoverage),
    resourceGroup: own('resource_group', parseResourceGroup, location),
    parallel: null,
    ...(inclusion && Object.keys(inclusion).length > 0 ? { inclusion } : {}),
  };
  return { job, parallel: own('parallel', parseParallel) };
}

/** `script:` must be present and not blank (GitLab: `validates :script, presence: true`). */
function parseScript(value: YamlValue, name: string, problems: Problems): string[] {
  if (value === null || (isString(value) && value.trim() === '') || (Array.isArray(value) && value.length === 0)) {
    problems.error(msg.scriptBlank(name));
    return [];
  }
  return parseCommands(value, `jobs:${name}:script`, problems) ?? [];
}

function parseStage(job: YamlMap, name: string, stages: readonly string[], problems: Problems): string {
  const stage = job.get('stage') ?? DEFAULT_JOB_STAGE;
  if (!isString(stage)) {
    problems.error(msg.stageNotString(name));
    return DEFAULT_JOB_STAGE;
  }
  if (!stages.includes(stage)) problems.error(msg.stageUnknown(name, stage, stages));
  return stage;
}
