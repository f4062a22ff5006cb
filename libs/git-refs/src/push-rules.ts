import { AccessLevel } from '@lanyard/access';
import type { RefActor } from './protection-level';
import { isValidBranchOrTagName } from './ref-name';
import type { ProtectionRule, RefProtection } from './ref-protection';

export interface ForcePushRule extends ProtectionRule {
  readonly allowForcePush: boolean;
}

/** One ref a push moves, as `git receive-pack` reports it, classified. */
export interface RefUpdate {
  readonly refName: string;
  readonly kind: 'create' | 'update' | 'delete';
  /** An update whose new commit does not descend from the old one (a force push). */
  readonly forced: boolean;
}

export interface PushRules {
  readonly actor: RefActor;
  readonly branches: RefProtection<ForcePushRule>;
  readonly tags: RefProtection<ProtectionRule>;
  readonly defaultBranch: string | null;
}

/** GitLab's messages (Gitlab::Checks::BranchCheck, ProtectedBranchCheck, TagCheck). */
export const PUSH_REFUSALS = {
  refNamespace: 'You can only push branches and tags.',
  refName: 'The ref name is not a valid branch or tag name.',
  deleteDefaultBranch: 'The default branch of a project cannot be deleted.',
  deleteProtectedBranch: 'You can only delete protected branches using the web interface.',
  forcePushProtectedBranch: 'You are not allowed to force push code to a protected branch on this project.',
  createProtectedBranch: 'You are not allowed to create protected branches on this project.',
  pushProtectedBranch: 'You are not allowed to push code to protected branches on this project.',
  updateProtectedTag: 'Protected tags cannot be updated.',
  changeExistingTags: 'You are not allowed to change existing tags on this project.',
  deleteProtectedTag:
    'You are not allowed to delete protected tags from this project. Only a project maintainer or owner can delete a protected tag.',
  createProtectedTag: 'You are not allowed to create this tag as it is protected.',
} as const;

/** Why GitLab would refuse this ref update, or null when it passes. The actor may push to the project at all. */
export function refusePushedRef(update: RefUpdate, rules: PushRules): string | null {
  const branch = /^refs\/heads\/(.+)$/.exec(update.refName)?.[1];
  const tag = /^refs\/tags\/(.+)$/.exec(update.refName)?.[1];
  const name = branch ?? tag;
  if (name === undefined) return PUSH_REFUSALS.refNamespace;
  if (update.kind !== 'delete' && !isValidBranchOrTagName(name)) return PUSH_REFUSALS.refName;
  return branch !== undefined ? refuseBranch(branch, update, rules) : refuseTag(name, update, rules);
}

function refuseBranch(name: string, update: RefUpdate, rules: PushRules): string | null {
  if (update.kind === 'delete') {
    if (name === rules.defaultBranch) return PUSH_REFUSALS.deleteDefaultBranch;
    return rules.branches.isProtected(name) ? PUSH_REFUSALS.deleteProtectedBranch : null;
  }
  const matching = rules.branches.matching(name);
  if (!matching.length) return null;
  // Every matching rule must allow it: the strictest wins for force pushes, as GitLab's ProtectedBranch.allow_force_push?.
  if (update.forced && !matching.every((rule) => rule.allowForcePush)) return PUSH_REFUSALS.forcePushProtectedBranch;
  if (rules.branches.allowsPush(name, rules.actor)) return null;
  return update.kind === 'create' ? PUSH_REFUSALS.createProtectedBranch : PUSH_REFUSALS.pushProtectedBranch;
}

function refuseTag(name: string, update: RefUpdate, rules: PushRules): string | null {
  const isProtected = rules.tags.isProtected(name);
  const maintainer = rules.actor.admin || rules.actor.level >= AccessLevel.Maintainer;
  if (update.kind === 'update') {
    if (isProtected) return PUSH_REFUSALS.updateProtectedTag;
    return maintainer ? null : PUSH_REFUSALS.changeExistingTags;
  }
  if (update.kind === 'delete') {
    if (isProtected && !(maintainer && rules.tags.allowsPush(name, rules.actor))) return PUSH_REFUSALS.deleteProtectedTag;
    return null;
  }
  return isProtected && !rules.tags.allowsPush(name, rules.actor) ? PUSH_REFUSALS.createProtectedTag : null;
}
