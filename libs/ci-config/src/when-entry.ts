import { parseDuration } from './duration';
import { ALLOW_FAILURE_KEYWORDS } from './execution-keywords';
import { JOB_WHEN_VALUES } from './keywords';
import type { JobWhen } from './keywords';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlMap, type YamlValue, isMap, isSeq, isString, unknownKeys } from './values';

export interface WhenDefinition {
  readonly when: JobWhen;
  readonly startInSeconds: number | null;
  readonly allowFailure: boolean;
  readonly allowFailureExitCodes: readonly number[] | null;
}

const isJobWhen = (value: YamlValue): value is JobWhen => (JOB_WHEN_VALUES as readonly YamlValue[]).includes(value);

/**
 * A job's `when`, `start_in` and `allow_failure` (GitLab: `Entry::Job`, `Entry::AllowFailure`). `start_in` is required
 * by `when: delayed` (at most a week) and refused otherwise. A manual job may fail unless `allow_failure` says otherwise
 * (GitLab's `ignored?`); the `exit_codes` form makes `allow_failure` false and lists the exit codes that are allowed.
 */
export function parseWhen(job: YamlMap, location: string, problems: Problems): WhenDefinition {
  const when = job.get('when') ?? null;
  if (when !== null && !isString(when)) problems.error(v.string(location, 'when'));
  if (when !== null && !isJobWhen(when)) problems.error(v.oneOf(location, 'when', JOB_WHEN_VALUES));
  const effective: JobWhen = when !== null && isJobWhen(when) ? when : 'on_success';

  const startIn = job.get('start_in') ?? null;
  let startInSeconds: number | null = null;
  if (effective === 'delayed') {
    const seconds = isString(startIn) ? parseDuration(startIn) : null;
    if (seconds === null) problems.error(v.duration(location, 'start in'));
    else if (seconds > LIMITS.maxStartInSeconds) problems.error(v.durationLimit(location, 'start in'));
    else startInSeconds = seconds;
  } else if (startIn !== null) {
    problems.error(v.mustBeBlank(location, 'start in'));
  }

  const allowFailure = job.get('allow_failure') ?? null;
  if (allowFailure === null) return { when: effective, startInSeconds, allowFailure: effective === 'manual', allowFailureExitCodes: null };
  if (typeof allowFailure === 'boolean') return { when: effective, startInSeconds, allowFailure, allowFailureExitCodes: null };
  if (!isMap(allowFailure)) {
    problems.error(msg.allowFailureInvalid(location));
    return { when: effective, startInSeconds, allowFailure: false, allowFailureExitCodes: null };
  }
  const criteriaLocation = `${location}:allow_failure`;
  const extra = unknownKeys(allowFailure, ALLOW_FAILURE_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(criteriaLocation, extra));
  const exitCodes = parseExitCodes(allowFailure.get('exit_codes') ?? null, criteriaLocation, problems);
  return { when: effective, startInSeconds, allowFailure: false, allowFailureExitCodes: exitCodes?.length ? exitCodes : null };
}

/** GitLab: `array_of_integers_or_integer`, wrapped into a list. Null when absent or invalid (then reported). */
export function parseExitCodes(value: YamlValue, location: string, problems: Problems): number[] | null {
  if (value === null) return null;
  const codes = isSeq(value) ? value : [value];
  if (codes.every((code) => typeof code === 'number' && Number.isSafeInteger(code))) return codes as number[];
  problems.error(v.arrayOfIntegersOrInteger(location, 'exit codes'));
  return null;
}
