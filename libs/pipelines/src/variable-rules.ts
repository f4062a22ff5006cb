import { matchesWildcard } from '@lanyard/git-refs';

/** GitLab's Ci::HasVariable key rule (the key is stripped first). */
export const KEY_PATTERN = /^[a-zA-Z0-9_]+$/;
export const KEY_MAX_LENGTH = 255;
export const KEY_MESSAGE = "can contain only letters, digits and '_'.";

export const VALUE_MAX_LENGTH = 10_000;
export const DESCRIPTION_MAX_LENGTH = 255;

/** GitLab's Gitlab::Regex.environment_scope_regex. */
export const ENVIRONMENT_SCOPE_PATTERN = /^[a-zA-Z0-9_/${}. *-]+$/;
export const ENVIRONMENT_SCOPE_MAX_LENGTH = 255;
export const ENVIRONMENT_SCOPE_MESSAGE = "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', '*' and spaces";

/**
 * GitLab's Ci::Maskable (app/models/concerns/ci/maskable.rb): `REGEX = %r{\A[a-zA-Z0-9_+=/@:.~-]{8,}\z}` — a single
 * line of at least 8 characters from the Base64 alphabet (RFC 4648, with the URL-safe `-` and `_`) plus `@ : . ~`.
 * The runner can only mask what it can find verbatim in the log, hence no whitespace or `$` expansions.
 */
const MASKABLE_VALUE = /^[a-zA-Z0-9_+=/@:.~-]{8,}$/;
/** Ci::Maskable's `MASK_AND_RAW_REGEX = %r{\A\S{8,}\z}`: a raw value is never expanded, so any non-space is fine. */
const MASKABLE_RAW_VALUE = /^[^ \t\r\n\f\v]{8,}$/u;

export function isMaskable(value: string, raw: boolean): boolean {
  return (raw ? MASKABLE_RAW_VALUE : MASKABLE_VALUE).test(value);
}

/** Rails counts characters, not UTF-16 units. */
export function characterCount(value: string): number {
  return Array.from(value).length;
}

/**
 * How well a variable's environment scope fits a job's environment, as GitLab's `on_environment`: the exact name (2)
 * beats a wildcard pattern such as `review/*` (1), which beats `*` (0); -1 does not apply. A job without an
 * environment gets only `*` variables. The scope is user input, so it is matched in linear time, never as a RegExp.
 */
export function scopeRank(scope: string, environment: string | null | undefined): number {
  if (scope === '*') return 0;
  if (environment === null || environment === undefined) return -1;
  if (scope === environment) return 2;
  return matchesWildcard(scope, environment) ? 1 : -1;
}

export interface ScopedVariable {
  readonly key: string;
  readonly protected: boolean;
  readonly environmentScope: string;
}

export interface JobVariableOptions {
  /** Whether the pipeline's ref is protected; protected variables reach only such pipelines. */
  readonly protectedRef: boolean;
  /** The job's environment name, if it has one. */
  readonly environment?: string | null;
}

/**
 * One variable per key, from levels ordered from the farthest (root group) to the nearest (project): a nearer level
 * overrides a farther one, and within a level the best-fitting environment scope wins (the later one on a tie).
 */
export function resolveVariables<T extends ScopedVariable>(levels: readonly (readonly T[])[], options: JobVariableOptions): T[] {
  const chosen = new Map<string, T>();
  for (const level of levels) {
    const best = new Map<string, { variable: T; rank: number }>();
    for (const variable of level) {
      if (variable.protected && !options.protectedRef) continue;
      const rank = scopeRank(variable.environmentScope, options.environment);
      if (rank < 0) continue;
      const current = best.get(variable.key);
      if (!current || rank >= current.rank) best.set(variable.key, { variable, rank });
    }
    for (const [key, { variable }] of best) {
      chosen.delete(key);
      chosen.set(key, variable);
    }
  }
  return [...chosen.values()];
}

/** A project's or group's CI/CD variable as stored: what a job may get, before protection and scope choose. */
export interface CiVariableRow extends ScopedVariable {
  readonly value: string;
  readonly variableType: 'env_var' | 'file';
  readonly masked: boolean;
  readonly raw: boolean;
  readonly projectId: number | null;
  readonly namespaceId: number | null;
}

/**
 * The variables a job of the project gets from its groups' and its own rows: root group first, the project last, each
 * level overriding. `groupIds`: the project's group traversal ids (none in a personal namespace).
 */
export function resolveJobVariables<T extends Pick<CiVariableRow, 'projectId' | 'namespaceId'> & ScopedVariable>(
  rows: readonly T[],
  projectId: number,
  groupIds: readonly number[],
  options: JobVariableOptions,
): T[] {
  const levels = [
    ...groupIds.map((groupId) => rows.filter((row) => row.namespaceId === groupId)),
    rows.filter((row) => row.projectId === projectId),
  ];
  return resolveVariables(levels, options);
}
