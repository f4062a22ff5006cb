import type {
  AccessLevel,
  DeployAccessLevel,
  DeployAccessRule,
  GroupInheritanceType,
  Membership,
  ResourceVisibility,
} from '@lanyard/access';
import type { DeploymentTier, EnvironmentDefinition, IdTokenDefinition, SecretDefinition } from '@lanyard/ci-config';
import type { ProtectionRule } from '@lanyard/git-refs';
import type { CiSettingsRow } from '@lanyard/id-tokens';
import type { JobSnapshot, PipelineVariable } from '@lanyard/pickup';
import { type CiVariableRow, type JobRunnerOptions, guessDeploymentTier } from '@lanyard/pipelines';
import { type ClaimTreeRow, claimTreeOf } from '../custom-claims/custom-claims.repository';

/** `job`'s columns: the build, its metadata and its pipeline (the preview gives them as a draft). */
export interface JobColumns {
  id: number;
  name: string;
  stage: string;
  stage_idx: number;
  protected: boolean;
  user_id: number | null;
  project_id: number;
  script: string[];
  yaml_variables: Record<string, string>;
  id_tokens: Record<string, IdTokenDefinition>;
  secrets: Record<string, SecretDefinition>;
  jwt_claims: Record<string, unknown> | null;
  environment: EnvironmentDefinition | null;
  job_timeout: number | null;
  config_options: JobRunnerOptions | null;
  pipeline_id: number;
  source: string;
  /** A timestamp as JSON text. */
  pipeline_created_at: string;
  sha: string;
  /** The previous head of the push that created the pipeline; null (a preview's draft: absent) when none did. */
  before_sha?: string | null;
  ref: string;
  tag: boolean;
  pipeline_variables: PipelineVariable[];
  merge_request_id: number | null;
  /** `workflow:name`; a preview's draft has none. */
  pipeline_name?: string | null;
  /** The project's number for the pipeline; a preview's draft has none. */
  pipeline_iid?: number | null;
}

type MembershipRow = { source_type: 'Namespace' | 'Project'; source_id: number; access_level: number };

/** One row of a snapshot statement (`snapshot.statement.ts`): every column JSON, or a scalar. */
export interface SnapshotRow {
  job: JobColumns;
  project: {
    id: number;
    name: string;
    path: string;
    visibility: ResourceVisibility;
    default_branch: string | null;
    build_timeout: number;
    namespace_id: number;
    namespace_type: 'User' | 'Group';
    traversal_ids: number[];
    namespace_full_path: string;
  };
  root_namespace: { id: number; path: string };
  /** `path!iid` of the open merge requests from the pipeline's source branch, newest first, at most four. */
  open_merge_requests?: string[];
  user: { id: number; username: string; email: string; name: string; admin: boolean; state: string } | null;
  ci_variables: {
    id: number;
    project_id: number | null;
    namespace_id: number | null;
    key: string;
    value: string;
    variable_type: 'env_var' | 'file';
    masked: boolean;
    protected: boolean;
    raw: boolean;
    environment_scope: string;
  }[];
  ci_settings: CiSettingsRow;
  /** The job project's custom-claim levels, as the custom-claims repository reads a tree. */
  claim_tree: ClaimTreeRow;
  memberships: MembershipRow[];
  direct_group_paths: string[];
  block_jwt_for_reclaimed_paths: boolean;
  project_path_reclaimed: boolean;
  /** The share-locked signing key's state; null when none was asked for or the job mints nothing. */
  signer_state: string | null;
  protection_rules: ProtectionRule[];
  environment: {
    tier: DeploymentTier | null;
    deploy_rules:
      | {
          access_level: number | null;
          user_id: number | null;
          group_inheritance_type: number | null;
          group_traversal_ids: number[] | null;
        }[]
      | null;
    deployer_memberships: MembershipRow[];
  } | null;
  merge_request: {
    id: number;
    iid: number;
    title: string;
    description: string;
    target_project_id: number;
    target_branch: string;
    source_branch: string;
    source_project_id: number | null;
    source_project_path: string | null;
    source_namespace_id: number | null;
    source_traversal_ids: number[] | null;
    source_namespace_full_path: string | null;
    source_path_reclaimed: boolean | null;
    target_full_path: string;
    target_branch_rules: ProtectionRule[];
    source_branch_rules: ProtectionRule[];
  } | null;
  dependency_candidates: { id: number; name: string; stage_idx: number }[];
}

/** The runner a claim was made for, as the snapshot carries it (the statement checked it is active). */
export type SnapshotRunner = NonNullable<JobSnapshot['runner']>;

/** The snapshot a row holds: the same facts, typed, nothing decided. */
export function snapshotOf(row: SnapshotRow, runner: SnapshotRunner | null): JobSnapshot {
  const { job, project } = row;
  return {
    build: { id: job.id, name: job.name, stage: job.stage, stageIdx: job.stage_idx, protected: job.protected },
    metadata: {
      script: job.script,
      variables: job.yaml_variables,
      idTokens: job.id_tokens,
      secrets: job.secrets,
      jwtClaims: job.jwt_claims,
      environment: job.environment,
      jobTimeout: job.job_timeout,
      options: job.config_options,
    },
    // Lanyard keeps no artifact archives yet: nothing to download (`artifacts_file`).
    dependencyCandidates: row.dependency_candidates.map((d) => ({ id: d.id, name: d.name, stageIdx: d.stage_idx, artifactsFile: null })),
    pipeline: {
      id: job.pipeline_id,
      source: job.source,
      createdAt: new Date(job.pipeline_created_at),
      sha: job.sha,
      beforeSha: job.before_sha ?? null,
      ref: job.ref,
      tag: job.tag,
      variables: job.pipeline_variables,
      name: job.pipeline_name ?? null,
      iid: job.pipeline_iid ?? null,
      openMergeRequests: row.open_merge_requests ?? [],
    },
    project: {
      id: project.id,
      name: project.name,
      path: project.path,
      visibility: project.visibility,
      defaultBranch: project.default_branch,
      buildTimeout: project.build_timeout,
    },
    namespace: { id: project.namespace_id, type: project.namespace_type, traversalIds: project.traversal_ids },
    namespaceFullPath: project.namespace_full_path,
    rootNamespace: row.root_namespace,
    user: row.user,
    runner,
    environment: job.environment && environmentOf(job.environment, row.environment!),
    mergeRequest: row.merge_request && mergeRequestOf(row.merge_request),
    protectionRules: row.protection_rules,
    tokenFacts: { memberships: row.memberships.map(membershipOf), directGroupPaths: row.direct_group_paths },
    ciVariables: row.ci_variables.map(variableOf),
    ciSettings: row.ci_settings,
    claimTree: claimTreeOf(row.claim_tree),
    reclaimed: { blockJwtForReclaimedPaths: row.block_jwt_for_reclaimed_paths, jobProjectPath: row.project_path_reclaimed },
  };
}

function environmentOf(definition: EnvironmentDefinition, row: NonNullable<SnapshotRow['environment']>): JobSnapshot['environment'] {
  return {
    definition,
    // Created with the pipeline; if it was deleted since, the tier a new one of that name would get.
    tier: row.tier ?? guessDeploymentTier(definition.name),
    deployRules: row.deploy_rules && row.deploy_rules.flatMap(deployRuleOf),
    deployerMemberships: row.deployer_memberships.map(membershipOf),
  };
}

/** A deploy access level row as a rule; a protected environment without any has one row of nulls, and no rule. */
function deployRuleOf(row: NonNullable<NonNullable<SnapshotRow['environment']>['deploy_rules']>[number]): DeployAccessRule[] {
  if (row.user_id !== null) return [{ type: 'user', userId: row.user_id }];
  if (row.group_traversal_ids !== null) {
    return [
      {
        type: 'group',
        groupTraversalIds: row.group_traversal_ids,
        groupInheritanceType: row.group_inheritance_type as GroupInheritanceType,
      },
    ];
  }
  if (row.access_level !== null) return [{ type: 'role', accessLevel: row.access_level as DeployAccessLevel }];
  return [];
}

function mergeRequestOf(row: NonNullable<SnapshotRow['merge_request']>): JobSnapshot['mergeRequest'] {
  return {
    record: {
      id: row.id,
      iid: row.iid,
      title: row.title,
      description: row.description,
      targetProjectId: row.target_project_id,
      targetBranch: row.target_branch,
      sourceBranch: row.source_branch,
    },
    source:
      row.source_project_id === null
        ? null
        : {
            project: { id: row.source_project_id, path: row.source_project_path! },
            namespace: { id: row.source_namespace_id!, traversalIds: row.source_traversal_ids! },
            namespaceFullPath: row.source_namespace_full_path!,
            pathReclaimed: row.source_path_reclaimed!,
          },
    targetFullPath: row.target_full_path,
    targetBranchRules: row.target_branch_rules,
    sourceBranchRules: row.source_branch_rules,
  };
}

function membershipOf(row: MembershipRow): Membership {
  return { sourceType: row.source_type, sourceId: row.source_id, accessLevel: row.access_level as AccessLevel };
}

function variableOf(row: SnapshotRow['ci_variables'][number]): CiVariableRow {
  return {
    key: row.key,
    value: row.value,
    variableType: row.variable_type,
    masked: row.masked,
    protected: row.protected,
    raw: row.raw,
    environmentScope: row.environment_scope,
    projectId: row.project_id,
    namespaceId: row.namespace_id,
  };
}
