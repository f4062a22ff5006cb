import { describeProtectionLevel } from '@lanyard/git-refs';
import type { ProtectedRef } from './protected-ref.entity';
import type { RepositoryCommit } from './repository-commit.entity';
import type { RepositoryRef } from './repository-ref.entity';

export function presentCommit(commit: RepositoryCommit, projectWebUrl: string) {
  const date = commit.createdAt.toISOString();
  return {
    id: commit.sha,
    short_id: commit.sha.slice(0, 8),
    created_at: date,
    parent_ids: commit.parentSha ? [commit.parentSha] : [],
    title: commit.message.split('\n', 1)[0],
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: date,
    committer_name: commit.authorName,
    committer_email: commit.authorEmail,
    committed_date: date,
    trailers: {},
    extended_trailers: {},
    web_url: `${projectWebUrl}/-/commit/${commit.sha}`,
  };
}

export interface BranchFlags {
  readonly isDefault: boolean;
  readonly isProtected: boolean;
  readonly developersCanPush: boolean;
  readonly developersCanMerge: boolean;
  readonly canPush: boolean;
}

export function presentBranch(ref: RepositoryRef, commit: RepositoryCommit, flags: BranchFlags, projectWebUrl: string) {
  return {
    name: ref.name,
    commit: presentCommit(commit, projectWebUrl),
    merged: false,
    protected: flags.isProtected,
    default: flags.isDefault,
    developers_can_push: flags.developersCanPush,
    developers_can_merge: flags.developersCanMerge,
    can_push: flags.canPush,
    web_url: `${projectWebUrl}/-/tree/${ref.name.split('/').map(encodeURIComponent).join('/')}`,
  };
}

export function presentTag(ref: RepositoryRef, commit: RepositoryCommit, isProtected: boolean, projectWebUrl: string) {
  return {
    name: ref.name,
    message: ref.message ?? '',
    target: ref.commitSha,
    commit: presentCommit(commit, projectWebUrl),
    release: null,
    protected: isProtected,
    created_at: ref.message === null ? null : ref.createdAt.toISOString(),
  };
}

function accessLevels(rule: ProtectedRef, level: ProtectedRef['pushAccessLevel']) {
  return [{ id: rule.id, access_level: level, access_level_description: describeProtectionLevel(level), user_id: null, group_id: null }];
}

export function presentProtectedBranch(rule: ProtectedRef) {
  return {
    id: rule.id,
    name: rule.name,
    push_access_levels: accessLevels(rule, rule.pushAccessLevel),
    merge_access_levels: accessLevels(rule, rule.mergeAccessLevel),
    unprotect_access_levels: [],
    allow_force_push: rule.allowForcePush,
    code_owner_approval_required: false,
  };
}

export function presentProtectedTag(rule: ProtectedRef) {
  return { name: rule.name, create_access_levels: accessLevels(rule, rule.pushAccessLevel) };
}
