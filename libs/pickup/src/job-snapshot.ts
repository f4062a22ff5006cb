import { type DeployAccessRule, type Membership, type ResourceVisibility, projectFullPath } from '@lanyard/access';
import type { DeploymentTier, EnvironmentDefinition, IdTokenDefinition, SecretDefinition } from '@lanyard/ci-config';
import type { ProtectionRule } from '@lanyard/git-refs';
import type { CiSettingsRow, ClaimTree } from '@lanyard/id-tokens';
import type { CiVariableRow, DependencyCandidate, JobRunnerOptions } from '@lanyard/pipelines';

/** A variable given when the pipeline was created (GitLab's pipeline variables). */
export interface PipelineVariable {
  readonly key: string;
  readonly value: string;
  readonly variable_type: 'env_var' | 'file';
}

/**
 * Everything about one job that its runner payload and its tokens are decided from, read in one statement inside the
 * transaction that assigns the job (the token preview reads the same for a job not created yet). Plain facts as
 * stored now, nothing decided: `decidePickup` makes every decision from them.
 */
export interface JobSnapshot {
  readonly build: {
    readonly id: number;
    readonly name: string;
    readonly stage: string;
    readonly stageIdx: number;
    readonly protected: boolean;
  };
  /** What the job was defined with in `.gitlab-ci.yml`, as stored with the pipeline. */
  readonly metadata: {
    readonly script: readonly string[];
    readonly variables: Readonly<Record<string, string>>;
    /** In the order written: the first one is Vault's default. */
    readonly idTokens: Readonly<Record<string, IdTokenDefinition>>;
    readonly secrets: Readonly<Record<string, SecretDefinition>>;
    readonly jwtClaims: Readonly<Record<string, unknown>> | null;
    readonly environment: EnvironmentDefinition | null;
    /** Seconds: the job's own `timeout:` (null: none). */
    readonly jobTimeout: number | null;
    /** Scripts, image, services, artifacts, cache, …; null for a job created before they were kept (script only). */
    readonly options: JobRunnerOptions | null;
  };
  /** The pipeline's jobs whose artifacts this one may download (its `needs` or earlier stages, by `dependencies:`). */
  readonly dependencyCandidates: readonly DependencyCandidate[];
  readonly pipeline: {
    readonly id: number;
    readonly source: string;
    readonly createdAt: Date;
    readonly sha: string;
    /** The previous head of the push that created the pipeline (GitLab's `before_sha`); null when none did. */
    readonly beforeSha: string | null;
    /** The pipeline's branch or tag; `refs/merge-requests/<iid>/head` for a merge request's pipeline in its target. */
    readonly ref: string;
    readonly tag: boolean;
    readonly variables: readonly PipelineVariable[];
    /** `workflow:name`, if any. */
    readonly name?: string | null;
    /** The project's number for it; a preview's draft has none. */
    readonly iid?: number | null;
    /** Open merge requests from the pipeline's source branch, newest first, as `path!iid` (at most four). */
    readonly openMergeRequests?: readonly string[];
  };
  /** The project the job runs in. */
  readonly project: {
    readonly id: number;
    readonly name: string;
    readonly path: string;
    readonly visibility: ResourceVisibility;
    readonly defaultBranch: string | null;
    /** Its `build_timeout` now, not when the pipeline was created. */
    readonly buildTimeout: number;
  };
  readonly namespace: { readonly id: number; readonly type: 'User' | 'Group'; readonly traversalIds: readonly number[] };
  readonly namespaceFullPath: string;
  readonly rootNamespace: { readonly id: number; readonly path: string };
  readonly user: {
    readonly id: number;
    readonly username: string;
    readonly email: string;
    readonly name: string;
    readonly admin: boolean;
    /** Blocked, banned, … may have changed while the job waited. */
    readonly state: string;
  } | null;
  /** Null for a job the token preview imagines: no runner has it yet. */
  readonly runner: {
    readonly id: number;
    readonly description: string;
    readonly gitlabHosted: boolean;
    readonly maximumTimeout: number | null;
    /** Its `tag_list`, which held all of the job's tags (`CI_RUNNER_TAGS`). */
    readonly tags: readonly string[];
  } | null;
  readonly environment: {
    readonly definition: EnvironmentDefinition;
    /** The environment's own tier (created with the pipeline), or the one a new environment of that name gets. */
    readonly tier: DeploymentTier;
    /** Its protection's deploy rules; null when it is not protected. */
    readonly deployRules: readonly DeployAccessRule[] | null;
    /** The user's memberships of every group and of the project, as deploy rules may name any group. */
    readonly deployerMemberships: readonly Membership[];
  } | null;
  /** A merge-request pipeline's merge request, with the project its code comes from (a fork, or the job's project). */
  readonly mergeRequest: {
    readonly record: {
      readonly id: number;
      readonly iid: number;
      readonly title: string;
      /** Empty when it has none. */
      readonly description: string;
      readonly targetProjectId: number;
      readonly targetBranch: string;
      readonly sourceBranch: string;
    };
    /** Null when the source project was deleted while the job waited. */
    readonly source: {
      readonly project: { readonly id: number; readonly path: string };
      readonly namespace: { readonly id: number; readonly traversalIds: readonly number[] };
      readonly namespaceFullPath: string;
      /** Its full path is one a different project gave up (and no admin released for it). */
      readonly pathReclaimed: boolean;
    } | null;
    readonly targetFullPath: string;
    /** The target project's protected-branch rules, for `CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED`. */
    readonly targetBranchRules: readonly ProtectionRule[];
    /** The source project's protected-branch rules, for `CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED` (none once deleted). */
    readonly sourceBranchRules: readonly ProtectionRule[];
  } | null;
  /**
   * The job project's protection rules for the job's ref type, as they are now; read only for a job created on a
   * protected ref (empty otherwise): whether its user may still run a pipeline there.
   */
  readonly protectionRules: readonly ProtectionRule[];
  /** Read for the project the job runs in: who the user is there. */
  readonly tokenFacts: {
    readonly memberships: readonly Membership[];
    /** Root first, at most one more than the `groups_direct` limit. */
    readonly directGroupPaths: readonly string[];
  };
  /** The project's and its groups' CI/CD variables, before protection and environment scope choose among them. */
  readonly ciVariables: readonly CiVariableRow[];
  readonly ciSettings: CiSettingsRow;
  /** The root group → project levels of custom claims as stored now, with the registry entries of their names. */
  readonly claimTree: ClaimTree;
  /** `block_jwt_for_reclaimed_paths`, and whether the job project's path was given up by another project. */
  readonly reclaimed: { readonly blockJwtForReclaimedPaths: boolean; readonly jobProjectPath: boolean };
}

/** GitLab's `source_ref`: the pipeline's branch or tag; a merge request's source branch for its pipelines. */
export function sourceRefOf(snapshot: JobSnapshot): string {
  return snapshot.mergeRequest?.record.sourceBranch ?? snapshot.pipeline.ref;
}

/** The job's project's full path. */
export function projectFullPathOf(snapshot: JobSnapshot): string {
  return projectFullPath(snapshot.namespaceFullPath, snapshot.project.path);
}

/**
 * A merge-request pipeline whose code comes from another project than the one it runs in (a fork), or whose source
 * project is gone (then nothing is known of it, and the job is dropped).
 */
export function runsForeignCode(snapshot: JobSnapshot): boolean {
  const { mergeRequest } = snapshot;
  return mergeRequest !== null && (mergeRequest.source === null || mergeRequest.source.project.id !== snapshot.project.id);
}
