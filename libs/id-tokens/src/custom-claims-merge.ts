import { utf8ByteLength } from '@lanyard/ci-config';
import { type ClaimNameRegistry, unownedClaimMessage, unownedClaimName } from './claim-names';
import {
  CUSTOM_CLAIM_LIMITS,
  type ClaimLevelRef,
  CustomClaimError,
  checkCustomClaim,
  claimSource,
  describeLevel,
  limitMessage,
  shownKey,
} from './custom-claim-rules';
import type { CustomClaimValue, CustomClaims } from './types';

/** One claim as a level writes it; `mutable: false` (the default everywhere) locks it for every level below. */
export interface CustomClaimDefinition {
  readonly key: string;
  /** Checked here: stored or written data of any shape may come in. */
  readonly value: unknown;
  readonly mutable: boolean;
}

export interface CustomClaimLevel extends ClaimLevelRef {
  /** In the order written; the merged set keeps each claim where it first appeared. */
  readonly claims: readonly CustomClaimDefinition[];
  /**
   * Where the level sits, as traversal ids (root first): a group's own, a project's namespace's, and for a job the
   * namespace of the project its code comes from (a fork's, in a fork merge-request pipeline). Owned claim names
   * may be set only where these include the owner.
   */
  readonly namespaceIds: readonly number[];
}

export interface MergedCustomClaim {
  readonly key: string;
  readonly value: CustomClaimValue;
  /** The level whose definition won: `group:<full_path>`, `project:<full_path>` or `job:<name>`. */
  readonly source: string;
  /** Whether a level below may still redefine it (the winning definition's `mutable`). */
  readonly mutable: boolean;
}

export type CustomClaimsMerge =
  | { readonly ok: true; readonly claims: readonly MergedCustomClaim[] }
  | { readonly ok: false; readonly errors: readonly CustomClaimError[] };

/**
 * The one custom-claims rule, applied from the root group down to the job. A level may add claims; it may redefine a
 * claim only when the nearest definition above is mutable; a name `registry` gives to a group is set only inside
 * that group's tree; reserved names, bad keys or values and every limit are refused at every level. Each claim keeps the position of its first definition and the value of the last allowed
 * one. Every problem is reported (with the level that locked a claim), so a caller can name them all.
 */
export function mergeCustomClaims(levels: readonly CustomClaimLevel[], registry: ClaimNameRegistry): CustomClaimsMerge {
  const merged = new Map<string, MergedCustomClaim>();
  const errors: CustomClaimError[] = [];
  const definedAt = new Map<string, ClaimLevelRef>();
  for (const { kind, path, claims, namespaceIds } of levels) {
    const level: ClaimLevelRef = { kind, path }; // errors name the level, never carry the claims it holds
    if (claims.length > CUSTOM_CLAIM_LIMITS.maxClaimsPerLevel) {
      errors.push(limitError(level, '', 'maxClaimsPerLevel'));
    }
    const seen = new Set<string>();
    for (const definition of claims) {
      const error = definitionError(definition, level, seen, merged, definedAt, (checked) =>
        ownershipError(checked, level, namespaceIds, registry),
      );
      if (error) {
        errors.push(error);
        continue;
      }
      const { key, value, mutable } = definition;
      merged.set(key, { key, value: value as CustomClaimValue, source: claimSource(level), mutable });
      definedAt.set(key, level);
    }
    if (utf8ByteLength(JSON.stringify(customClaimValues([...merged.values()]))) > CUSTOM_CLAIM_LIMITS.maxTotalBytes) {
      errors.push(limitError(level, '', 'maxTotalBytes'));
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, claims: [...merged.values()] };
}

function definitionError(
  definition: CustomClaimDefinition,
  level: ClaimLevelRef,
  seen: Set<string>,
  merged: ReadonlyMap<string, MergedCustomClaim>,
  definedAt: ReadonlyMap<string, ClaimLevelRef>,
  ownership: (definition: CustomClaimDefinition) => CustomClaimError | null,
): CustomClaimError | null {
  const { key } = definition;
  if (seen.has(key)) {
    return new CustomClaimError(
      'ERR_CUSTOM_CLAIM_DUPLICATE',
      key,
      level,
      `${describeLevel(level)}: duplicate claim name: ${shownKey(key)}`,
    );
  }
  seen.add(key);
  const problem = checkCustomClaim(key, definition.value, level) ?? ownership(definition);
  if (problem) return problem;
  const above = merged.get(key);
  if (above && !above.mutable) {
    const locker = definedAt.get(key)!; // the level that set the current, immutable value
    return new CustomClaimError('ERR_CUSTOM_CLAIM_LOCKED', key, level, `${key} is immutable: set by ${describeLevel(locker)}`, locker);
  }
  return null;
}

function ownershipError(
  definition: CustomClaimDefinition,
  level: ClaimLevelRef,
  namespaceIds: readonly number[],
  registry: ClaimNameRegistry,
): CustomClaimError | null {
  const unowned = unownedClaimName(definition.key, definition.value, namespaceIds, registry);
  return unowned && new CustomClaimError('ERR_CUSTOM_CLAIM_NOT_OWNED', definition.key, level, unownedClaimMessage(definition.key, unowned));
}

function limitError(level: ClaimLevelRef, claim: string, limit: 'maxClaimsPerLevel' | 'maxTotalBytes'): CustomClaimError {
  return new CustomClaimError('ERR_CUSTOM_CLAIM_LIMIT', claim, level, limitMessage(describeLevel(level), limit), null, limit);
}

/**
 * A job's `jwt_claims:` (its own, or `default:`'s) as the last level; nothing is below a job, so none is mutable.
 * `namespaceIds`: where its code comes from (see `CustomClaimLevel`).
 */
export function jobClaimLevel(
  jobName: string,
  jwtClaims: Readonly<Record<string, unknown>> | null,
  namespaceIds: readonly number[],
): CustomClaimLevel {
  const claims = Object.entries(jwtClaims ?? {}).map(([key, value]) => ({ key, value, mutable: false }));
  return { kind: 'job', path: jobName, claims, namespaceIds };
}

/**
 * The merged claims as a token carries them, in order. Own properties only (`fromEntries`), so no key can reach a
 * prototype; `buildIdTokenClaims` takes this as `customClaims` and checks each again.
 */
export function customClaimValues(claims: readonly MergedCustomClaim[]): CustomClaims {
  return Object.fromEntries(claims.map((claim) => [claim.key, claim.value]));
}
