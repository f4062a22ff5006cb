import type { ClaimNameRegistry } from './claim-names';
import { type ClaimLevelRef, type CustomClaimError, claimSource, describeLevel } from './custom-claim-rules';
import { type CustomClaimDefinition, type CustomClaimLevel, mergeCustomClaims } from './custom-claims-merge';

/** A level that can hold custom claims: a group (any depth) or a project. */
export type ClaimOwner = { readonly kind: 'group'; readonly id: number } | { readonly kind: 'project'; readonly id: number };

export interface TreeGroup {
  readonly id: number;
  readonly fullPath: string;
  /** Root → this group. */
  readonly traversalIds: readonly number[];
}

export interface TreeProject {
  readonly id: number;
  readonly fullPath: string;
  /** Null in a personal namespace, where the project is the only level. */
  readonly groupId: number | null;
  /** Its namespace's traversal ids: where it sits, for owned claim names. */
  readonly namespaceIds: readonly number[];
}

/** The groups, projects and stored claims one request looks at, read once. */
export interface ClaimTree {
  readonly groups: ReadonlyMap<number, TreeGroup>;
  readonly projects: ReadonlyMap<number, TreeProject>;
  /** By `ownerKey`, in position order. */
  readonly claims: ReadonlyMap<string, readonly CustomClaimDefinition[]>;
  /** The registry's entries for the names these claims (and any unstored ones asked about) use. */
  readonly names: ClaimNameRegistry;
}

export function ownerKey(owner: ClaimOwner): string {
  return `${owner.kind}:${owner.id}`;
}

export function levelRef(tree: ClaimTree, owner: ClaimOwner): ClaimLevelRef {
  const path = owner.kind === 'group' ? tree.groups.get(owner.id)!.fullPath : tree.projects.get(owner.id)!.fullPath;
  return { kind: owner.kind, path };
}

/** The owners from the root group down to `owner`, itself last. */
export function chainOf(tree: ClaimTree, owner: ClaimOwner): ClaimOwner[] {
  if (owner.kind === 'project') {
    const groupId = tree.projects.get(owner.id)!.groupId;
    return [...(groupId === null ? [] : chainOf(tree, { kind: 'group', id: groupId })), owner];
  }
  return tree.groups.get(owner.id)!.traversalIds.map((id) => ({ kind: 'group', id }));
}

/** The levels the merge takes for `owner`, with `claims` standing in for what the tree stores. */
export function levelsOf(tree: ClaimTree, owner: ClaimOwner, claims = tree.claims): CustomClaimLevel[] {
  return chainOf(tree, owner).map((each) => ({
    ...levelRef(tree, each),
    claims: claims.get(ownerKey(each)) ?? [],
    namespaceIds: placeOf(tree, each),
  }));
}

function placeOf(tree: ClaimTree, owner: ClaimOwner): readonly number[] {
  return owner.kind === 'group' ? tree.groups.get(owner.id)!.traversalIds : tree.projects.get(owner.id)!.namespaceIds;
}

/**
 * Why `owner`'s claims may not become `next`: the problems the change brings to its own level and to every stored
 * level below it (a group locking a claim that a subgroup or project already redefines is refused, so what is stored
 * always merges). Problems that were already there (a project moved under a group that locks its claim) are not
 * blamed on this change.
 */
export function replacementErrors(tree: ClaimTree, owner: ClaimOwner, next: readonly CustomClaimDefinition[]): CustomClaimError[] {
  const changed = new Map(tree.claims).set(ownerKey(owner), next);
  const affected = [owner, ...descendantsWithClaims(tree, owner)];
  const known = new Set(affected.flatMap((each) => errorsOf(levelsOf(tree, each), tree.names)).map(errorKey));
  const written = levelRef(tree, owner);
  // An owned name the level keeps writing is refused even if it was stored before the name was registered.
  const blamed = (error: CustomClaimError) =>
    !known.has(errorKey(error)) || (error.code === 'ERR_CUSTOM_CLAIM_NOT_OWNED' && claimSource(error.level) === claimSource(written));
  const found = new Map<string, CustomClaimError>();
  for (const each of affected) {
    for (const error of errorsOf(levelsOf(tree, each, changed), tree.names)) if (blamed(error)) found.set(errorKey(error), error);
  }
  return [...found.values()];
}

/** Groups and projects under `owner` (a group) that store claims; the tree holds every one of them. */
function descendantsWithClaims(tree: ClaimTree, owner: ClaimOwner): ClaimOwner[] {
  if (owner.kind === 'project') return [];
  const groups: ClaimOwner[] = [...tree.groups.values()]
    .filter((group) => group.id !== owner.id && group.traversalIds.includes(owner.id))
    .map((group) => ({ kind: 'group', id: group.id }));
  const underOwner = new Set([owner.id, ...groups.map((group) => group.id)]);
  const projects: ClaimOwner[] = [...tree.projects.values()]
    .filter((project) => project.groupId !== null && underOwner.has(project.groupId))
    .map((project) => ({ kind: 'project', id: project.id }));
  return [...groups, ...projects].filter((each) => tree.claims.has(ownerKey(each)));
}

function errorsOf(levels: readonly CustomClaimLevel[], names: ClaimNameRegistry): readonly CustomClaimError[] {
  const result = mergeCustomClaims(levels, names);
  return result.ok ? [] : result.errors;
}

function errorKey(error: CustomClaimError): string {
  return JSON.stringify([error.code, error.claim, claimSource(error.level), error.lockedBy && claimSource(error.lockedBy), error.limit]);
}

/** The message the API answers: a refusal at a level below names it, since that is where the fix is. */
export function describeError(error: CustomClaimError, written: ClaimLevelRef): string {
  const below = error.level.kind !== written.kind || error.level.path !== written.path;
  return below ? `${error.message} (conflicts with ${describeLevel(error.level)}: change it there first)` : error.message;
}
