import { type DefaultDefinition, inherits, isSet, parseInherit } from './default-entry';
import { parseTimeout } from './duration';
import { parseEnvironment } from './environment-entry';
import { parseIdTokens } from './id-tokens-entry';
import { parseJwtClaims } from './jwt-claims-entry';
import { DEFAULT_JOB_STAGE, JOB_KEYWORDS, JOB_VARIABLE_DATA_KEYWORDS } from './keywords';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { parseSecrets } from './secrets-entry';
import type { IdTokenDefinition, JobDefinition, JwtClaimValue } from './types';
import { Problems, type YamlMap, type YamlValue, isMap, isSeq, isString, ownRecord, unknownKeys } from './values';
import { parseVariables } from './variables-entry';

export interface JobContext {
  readonly stages: readonly string[];
  readonly globalVariables: ReadonlyMap<string, string>;
  readonly defaults: DefaultDefinition;
  readonly optInJwt: boolean;
}

/** One visible job after `extends` (GitLab: `Entry::Job`, then `YamlProcessor#validate_job_stage!`). */
export function parseJob(name: string, value: YamlValue, context: JobContext, problems: Problems): JobDefinition | null {
  // GitLab: a hash without `script:` is not a job at all.
  if (!isMap(value) || !value.has('script')) {
    problems.error(msg.jobWithoutScript(name));
    return null;
  }
  const location = `jobs:${name}`;
  if (name.length > LIMITS.maxJobNameLength) problems.error(msg.jobNameTooLong(name));
  const extra = unknownKeys(value, JOB_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));

  const script = parseScript(value.get('script') ?? null, name, problems);
  const stage = parseStage(value, name, context.stages, problems);
  const inherit = parseInherit(value.get('inherit'), `${location}:inherit`, problems);
  const variables = new Map([...context.globalVariables].filter(([variable]) => inherits(inherit.variables, variable)));
  if (isSet(value, 'variables')) {
    const own = parseVariables(value.get('variables') ?? null, `${location}:variables`, JOB_VARIABLE_DATA_KEYWORDS, problems);
    for (const [variable, data] of own) variables.set(variable, data);
  }
  const environment = isSet(value, 'environment')
    ? parseEnvironment(value.get('environment') ?? null, `${location}:environment`, problems)
    : null;

  // A job's own key replaces `default:`'s entirely (GitLab: `Inheritable#overwrite_entry`); never a merge.
  const fromDefault = (key: string): boolean => !isSet(value, key) && inherits(inherit.default, key);
  const timeoutSeconds = isSet(value, 'timeout')
    ? parseTimeout(value.get('timeout'), `${location}:timeout`, problems)
    : fromDefault('timeout')
      ? (context.defaults.timeoutSeconds ?? null)
      : null;
  const idTokens: ReadonlyMap<string, IdTokenDefinition> = isSet(value, 'id_tokens')
    ? parseIdTokens(value.get('id_tokens') ?? null, `${location}:id_tokens`, problems)
    : fromDefault('id_tokens')
      ? (context.defaults.idTokens ?? new Map())
      : new Map();
  const secrets = isSet(value, 'secrets')
    ? parseSecrets(
        value.get('secrets') ?? null,
        `${location}:secrets`,
        { idTokenNames: [...idTokens.keys()], optInJwt: context.optInJwt },
        problems,
      )
    : new Map();
  const jwtClaims: ReadonlyMap<string, JwtClaimValue> | null = isSet(value, 'jwt_claims')
    ? parseJwtClaims(value.get('jwt_claims') ?? null, `${location}:jwt_claims`, problems)
    : fromDefault('jwt_claims')
      ? (context.defaults.jwtClaims ?? null)
      : null;

  return {
    name,
    stage,
    script,
    variables: ownRecord(variables),
    environment,
    timeoutSeconds,
    idTokens: ownRecord(idTokens),
    secrets: ownRecord(secrets),
    jwtClaims: jwtClaims ? ownRecord(jwtClaims) : null,
  };
}

/** A string or a nested array of strings (GitLab: `Entry::Commands`), flattened. */
function parseScript(value: YamlValue, name: string, problems: Problems): string[] {
  if (value === null || (isString(value) && value.trim() === '') || (isSeq(value) && value.length === 0)) {
    problems.error(msg.scriptBlank(name));
    return [];
  }
  const lines: string[] = [];
  if (!flattenStrings(value, 1, lines)) {
    problems.error(msg.scriptInvalid(name));
    return [];
  }
  return lines;
}

function flattenStrings(value: YamlValue, level: number, into: string[]): boolean {
  if (isString(value)) {
    into.push(value);
    return true;
  }
  if (!isSeq(value) || level > LIMITS.maxScriptNesting) return false;
  return value.every((item) => flattenStrings(item, level + 1, into));
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
