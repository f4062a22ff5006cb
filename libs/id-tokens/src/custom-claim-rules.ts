import {
  CI_CONFIG_LIMITS,
  CLAIM_VALUE_MESSAGES,
  type ClaimValueProblem,
  checkClaimName,
  checkClaimValue,
  ciConfigMessages as msg,
  hasControlOrBidiCharacters,
  isUriClaimName,
  utf8ByteLength,
} from '@lanyard/ci-config';
import { type CustomClaimErrorCode, IdTokenError } from './errors';

/**
 * Every bound on custom claims; each error over one names it. The per-claim limits are the YAML parser's, so an
 * API level and a job's `jwt_claims:` accept the same values.
 */
export const CUSTOM_CLAIM_LIMITS = {
  /** A URI name; short names are held to 64 characters by their pattern. */
  maxKeyLength: CI_CONFIG_LIMITS.maxClaimUriLength,
  maxStringLength: CI_CONFIG_LIMITS.maxClaimValueLength,
  maxArrayEntries: CI_CONFIG_LIMITS.maxClaimValueEntries,
  /** An object under a URI name: AWS session tags need 2 (`principal_tags` → `team` → array). */
  maxObjectDepth: 4,
  /** One claim's value as JSON. */
  maxValueBytes: 4096,
  maxClaimsPerLevel: CI_CONFIG_LIMITS.maxClaimsPerJob,
  /**
   * The merged set as JSON: with the built-in claims and base64url's 4/3, a token stays well under AWS STS's
   * 20,000-character `WebIdentityToken` and the size of an environment variable runners handle comfortably.
   */
  maxTotalBytes: 8192,
} as const;

export type CustomClaimLimit = keyof typeof CUSTOM_CLAIM_LIMITS;

const LIMIT_SUBJECTS: Record<CustomClaimLimit, readonly [what: string, unit: string]> = {
  maxKeyLength: ['claim name', 'characters'],
  maxStringLength: ['string', 'characters'],
  maxArrayEntries: ['array', 'entries'],
  maxObjectDepth: ['object', 'levels of nesting'],
  maxValueBytes: ['value', 'bytes of JSON'],
  maxClaimsPerLevel: ['claim list', 'claims'],
  maxTotalBytes: ['merged claim set', 'bytes of JSON'],
};

export function limitMessage(where: string, limit: CustomClaimLimit): string {
  const [what, unit] = LIMIT_SUBJECTS[limit];
  return `${where}: ${what} exceeds the ${limit} limit (maximum is ${CUSTOM_CLAIM_LIMITS[limit]} ${unit})`;
}

/** Group root → subgroups → project → job: where a claim can be defined. */
export type ClaimLevelKind = 'group' | 'project' | 'job';

export interface ClaimLevelRef {
  readonly kind: ClaimLevelKind;
  /** A group's or project's full path, or a job's name. */
  readonly path: string;
}

/** `group:acme/platform`, `project:acme/platform/app`, `job:deploy`: what the API shows as a claim's `source`. */
export function claimSource(level: ClaimLevelRef): string {
  return `${level.kind}:${level.path}`;
}

/** `group acme`: as messages name a level. */
export function describeLevel(level: ClaimLevelRef): string {
  return `${level.kind} ${level.path}`;
}

/**
 * Why a level's claims cannot be merged. `claim` (also `field`) is the claim, `level` where it was defined,
 * `lockedBy` the level whose immutable definition it tried to change, `limit` the bound it broke. Messages show a
 * key with any non-printable character escaped, so an error never carries a bidi control into a log or a page.
 */
export class CustomClaimError extends IdTokenError {
  constructor(
    override readonly code: CustomClaimErrorCode,
    readonly claim: string,
    readonly level: ClaimLevelRef,
    reason: string,
    readonly lockedBy: ClaimLevelRef | null = null,
    readonly limit: CustomClaimLimit | null = null,
  ) {
    super(code, claim, reason);
  }
}

const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const SHOWN_KEY_LENGTH = 80;

/** A key as messages show it: printable ASCII kept, anything else as `\uXXXX`, long keys cut. */
export function shownKey(key: string): string {
  const cut = key.length > SHOWN_KEY_LENGTH ? `${key.slice(0, SHOWN_KEY_LENGTH)}…` : key;
  return cut.replace(/[^\x20-\x7e…]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Why `key` = `value` cannot be a custom claim defined at `level`, or null when it can: not a reserved name, a
 * short or `https://` name, a string or array of strings (an object only under a URI name), no control or bidi
 * character anywhere (nested keys too), within every limit. The merge's check for each definition.
 */
export function checkCustomClaim(key: string, value: unknown, level: ClaimLevelRef): CustomClaimError | null {
  const problem = customClaimProblem(key, value, describeLevel(level));
  return problem && new CustomClaimError(problem.code, key, level, problem.reason, null, problem.limit ?? null);
}

export interface CustomClaimProblem {
  readonly code: Exclude<CustomClaimErrorCode, 'ERR_CUSTOM_CLAIM_DUPLICATE' | 'ERR_CUSTOM_CLAIM_LOCKED' | 'ERR_CUSTOM_CLAIM_NOT_OWNED'>;
  /** A sentence starting with `location`. */
  readonly reason: string;
  readonly limit?: CustomClaimLimit;
}

/** `checkCustomClaim` without a level, for minting, which re-checks a merged set: `location` starts each message. */
export function customClaimProblem(key: string, value: unknown, location: string): CustomClaimProblem | null {
  const where = `${location}:${shownKey(key)}`;
  if (key.length > CUSTOM_CLAIM_LIMITS.maxKeyLength) {
    return { code: 'ERR_CUSTOM_CLAIM_LIMIT', reason: limitMessage(where, 'maxKeyLength'), limit: 'maxKeyLength' };
  }
  const nameProblem = checkClaimName(key);
  if (nameProblem === 'reserved') return { code: 'ERR_CUSTOM_CLAIM_RESERVED', reason: msg.claimReserved(`${location}:`, key) };
  if (nameProblem === 'invalid')
    return { code: 'ERR_CUSTOM_CLAIM_KEY_INVALID', reason: msg.claimInvalidName(`${location}:`, shownKey(key)) };
  const shape = isPlainObject(value)
    ? isUriClaimName(key)
      ? objectProblem(value, 1, where)
      : {
          code: 'ERR_CUSTOM_CLAIM_VALUE_INVALID' as const,
          reason: `${where}: only a URI-named claim (e.g. https://aws.amazon.com/tags) may hold an object`,
        }
    : leafProblem(value, where);
  if (shape) return shape;
  if (utf8ByteLength(JSON.stringify(value)) > CUSTOM_CLAIM_LIMITS.maxValueBytes) {
    return { code: 'ERR_CUSTOM_CLAIM_LIMIT', reason: limitMessage(where, 'maxValueBytes'), limit: 'maxValueBytes' };
  }
  return null;
}

const VALUE_LIMITS: Partial<Record<ClaimValueProblem, CustomClaimLimit>> = {
  too_long: 'maxStringLength',
  too_many_entries: 'maxArrayEntries',
};

/** A string or an array of strings, by the YAML parser's rule (`checkClaimValue`). */
function leafProblem(value: unknown, where: string): CustomClaimProblem | null {
  const problem = checkClaimValue(value);
  if (!problem) return null;
  const limit = VALUE_LIMITS[problem];
  if (limit) return { code: 'ERR_CUSTOM_CLAIM_LIMIT', reason: limitMessage(where, limit), limit };
  return { code: 'ERR_CUSTOM_CLAIM_VALUE_INVALID', reason: CLAIM_VALUE_MESSAGES[problem](where) };
}

/** Nested objects, strings and arrays of strings, with keys as safe as values; depth bounded before recursing. */
function objectProblem(value: Readonly<Record<string, unknown>>, depth: number, where: string): CustomClaimProblem | null {
  if (depth > CUSTOM_CLAIM_LIMITS.maxObjectDepth) {
    return { code: 'ERR_CUSTOM_CLAIM_LIMIT', reason: limitMessage(where, 'maxObjectDepth'), limit: 'maxObjectDepth' };
  }
  for (const [key, nested] of Object.entries(value)) {
    const at = `${where}:${shownKey(key)}`;
    if (key === '' || PROTOTYPE_NAMES.has(key) || hasControlOrBidiCharacters(key)) {
      return {
        code: 'ERR_CUSTOM_CLAIM_VALUE_INVALID',
        reason: `${at} is not an allowed object key (empty, a prototype name, or control or bidi characters)`,
      };
    }
    if (key.length > CUSTOM_CLAIM_LIMITS.maxKeyLength) {
      return { code: 'ERR_CUSTOM_CLAIM_LIMIT', reason: limitMessage(at, 'maxKeyLength'), limit: 'maxKeyLength' };
    }
    const problem = isPlainObject(nested) ? objectProblem(nested, depth + 1, at) : leafProblem(nested, at);
    if (problem) return problem;
  }
  return null;
}

/** JSON's objects: not arrays, not null, not class instances (a `Date` would serialise as a string of its own). */
function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
