import { CI_CONFIG_LIMITS } from './limits';
import { ciConfigMessages } from './messages';
import type { Problems } from './values';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** ChronicDuration's unit words and their length in seconds (a month is 30 days, a year 365.25 days). */
const UNITS: ReadonlyMap<string, number> = new Map([
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((unit) => [unit, 1] as const),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((unit) => [unit, MINUTE] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((unit) => [unit, HOUR] as const),
  ...['d', 'day', 'days'].map((unit) => [unit, DAY] as const),
  ...['w', 'wk', 'wks', 'week', 'weeks'].map((unit) => [unit, 7 * DAY] as const),
  ...['mo', 'mos', 'month', 'months'].map((unit) => [unit, 30 * DAY] as const),
  ...['y', 'yr', 'yrs', 'year', 'years'].map((unit) => [unit, 365.25 * DAY] as const),
]);

const NUMBER = /^\d+(?:\.\d+)?$/;
const CLOCK = /^(\d+):([0-5]?\d)(?::([0-5]?\d))?$/;
const PART = /\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;

/**
 * Seconds in a GitLab duration (`1h 30m`, `90 minutes`, `1 hour and 30 minutes`, `1:30:00`, `3600`), the subset of
 * ChronicDuration that `timeout:` documents; a YAML integer is seconds. Null when it is not a positive duration.
 */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string' || value.length > 100) return null;
  const text = value
    .toLowerCase()
    .replace(/,/g, ' ')
    .replace(/\band\b/g, ' ')
    .trim();
  const seconds = NUMBER.test(text) ? Number(text) : (parseClock(text) ?? parseParts(text));
  if (seconds === null || !Number.isFinite(seconds)) return null;
  const rounded = Math.round(seconds);
  return rounded > 0 ? rounded : null;
}

/** `mm:ss` or `hh:mm:ss`, as ChronicDuration reads them. */
function parseClock(text: string): number | null {
  const match = CLOCK.exec(text);
  if (!match) return null;
  const [, first, second, third] = match;
  return third === undefined ? Number(first) * MINUTE + Number(second) : Number(first) * HOUR + Number(second) * MINUTE + Number(third);
}

/** A sequence of `<number> <unit>` parts with nothing else between them but spaces. */
function parseParts(text: string): number | null {
  let total = 0;
  let index = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    const size = match ? UNITS.get(match[2]) : undefined;
    if (!match || size === undefined) return null;
    total += Number(match[1]) * size;
    index = PART.lastIndex;
  }
  return index > 0 ? total : null;
}

/** `timeout:` of a job or of `default:` (GitLab: `Entry::Timeout`, a duration below one month). */
export function parseTimeout(value: unknown, location: string, problems: Problems): number | null {
  const seconds = parseDuration(value);
  if (seconds === null) problems.error(ciConfigMessages.durationInvalid(location));
  else if (seconds >= CI_CONFIG_LIMITS.timeoutLimitSeconds) problems.error(ciConfigMessages.durationLimit(location));
  else return seconds;
  return null;
}
