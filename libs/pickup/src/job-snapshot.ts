import { type AccessLevel, type Membership, type ResourceVisibility, resolveAccessLevel } from '@lanyard/access';
import type { DeploymentTier, EnvironmentAction } from '@lanyard/ci-config';
import { type JobIdentity, type ProjectIdentity, serverNamesFromUrl } from '@lanyard/id-tokens';
import type { ProtectionRule } from '@lanyard/git-refs';
import { type JobContext, environmentSlug } from '@lanyard/pipelines';

/**
 * Everything about one job that its runner payload and its tokens are made from, as the pickup reads it once inside
 * the transaction that assigns the job (the token preview reads the same for a job not created yet). Plain facts: the
 * app's rows satisfy it as they are, and the two projections below are the only places a payload's context or a
 * token's identity is made from them.
 */
export interface JobSnapshot {
  readonly build: { readonly id: number; readonly name: string; readonly stage: string; readonly protected: boolean };
  readonly metadata: { readonly script: readonly string[] };
  readonly pipeline: {
    readonly id: number;
    readonly source: string;
    readonly createdAt: Date;
    readonly sha: string;
    readonly tag: boolean;
  };
  /** GitLab's `source_ref`: the pipeline's branch or tag; a merge request's source branch for its pipelines. */
  readonly sourceRef: string;
  readonly project: {
    readonly id: number;
    readonly name: string;
    readonly path: string;
    readonly visibility: ResourceVisibility;
    readonly defaultBranch: string | null;
  };
  readonly namespace: { readonly id: number; readonly traversalIds: readonly number[] };
  readonly namespaceFullPath: string;
  readonly rootNamespace: { readonly id: number; readonly path: string };
  readonly user: {
    readonly id: number;
    readonly username: string;
    readonly email: string;
    readonly name: string;
    readonly admin: boolean;
  } | null;
  /** Null for a job the token preview imagines: no runner has it yet. */
  readonly runner: { readonly id: number; readonly description: string; readonly gitlabHosted: boolean } | null;
  readonly environment: {
    readonly definition: { readonly deploymentTier?: DeploymentTier; readonly action: EnvironmentAction };
    readonly record: { readonly name: string; readonly tier: DeploymentTier };
    readonly protected: boolean;
  } | null;
  /** A merge-request pipeline's merge request, with the project its code comes from (a fork, or the job's project). */
  readonly mergeRequest: {
    readonly record: {
      readonly id: number;
      readonly iid: number;
      readonly title: string;
      readonly targetProjectId: number;
      readonly targetBranch: string;
      readonly sourceBranch: string;
    };
    readonly sourceProject: { readonly id: number; readonly path: string };
    readonly sourceNamespace: { readonly id: number; readonly traversalIds: readonly number[] };
    readonly sourceNamespaceFullPath: string;
    readonly targetFullPath: string;
    readonly targetBranchProtected: boolean;
  } | null;
  /**
   * The job project's protection rules for the job's ref type, as they are now; read only for a job created on a
   * protected ref (empty otherwise): whether its user may still run a pipeline there.
   */
  readonly protectionRules: readonly ProtectionRule[];
  /** Read with the rest for the project the job runs in: who the user is there. */
  readonly tokenFacts: {
    readonly memberships: readonly Membership[];
    /** Root first, at most one more than the `groups_direct` limit. */
    readonly directGroupPaths: readonly string[];
  };
}

/** What a run adds to the snapshot: the server, the job token, when it starts and the timeout decided for it. */
export interface JobRun {
  readonly serverUrl: string;
  readonly jobToken: string;
  readonly startedAt: Date;
  readonly timeoutSeconds: number;
}

/** The context the runner payload (predefined variables, git info, steps) is built from. */
export function jobContextOf(snapshot: JobSnapshot, run: JobRun): JobContext {
  const { build, metadata, pipeline, project, namespace, rootNamespace, user, runner, environment, mergeRequest } = snapshot;
  return {
    serverUrl: run.serverUrl,
    job: {
      id: build.id,
      name: build.name,
      stage: build.stage,
      token: run.jobToken,
      timeoutSeconds: run.timeoutSeconds,
      script: metadata.script,
      startedAt: run.startedAt.toISOString(),
    },
    pipeline: {
      id: pipeline.id,
      source: pipeline.source,
      createdAt: pipeline.createdAt.toISOString(),
      sha: pipeline.sha,
      ref: snapshot.sourceRef,
      refType: pipeline.tag ? 'tag' : 'branch',
      refProtected: build.protected,
    },
    project: {
      id: project.id,
      name: project.name,
      path: project.path,
      fullPath: `${snapshot.namespaceFullPath}/${project.path}`,
      namespaceId: namespace.id,
      namespaceFullPath: snapshot.namespaceFullPath,
      rootNamespaceId: rootNamespace.id,
      rootNamespacePath: rootNamespace.path,
      visibility: project.visibility,
      defaultBranch: project.defaultBranch,
    },
    user: user && { id: user.id, username: user.username, email: user.email, name: user.name },
    // A preview has no runner yet: CI_RUNNER_ID 0, as at pipeline creation.
    runner: runner ? { id: runner.id, description: runner.description } : { id: 0, description: '' },
    environment: environment && {
      name: environment.record.name,
      slug: environmentSlug(environment.record.name),
      tier: environment.definition.deploymentTier ?? environment.record.tier,
      action: environment.definition.action,
    },
    mergeRequest: mergeRequest && {
      id: mergeRequest.record.id,
      iid: mergeRequest.record.iid,
      title: mergeRequest.record.title,
      projectId: mergeRequest.record.targetProjectId,
      projectPath: mergeRequest.targetFullPath,
      targetBranch: mergeRequest.record.targetBranch,
      targetBranchProtected: mergeRequest.targetBranchProtected,
      sourceProjectId: mergeRequest.sourceProject.id,
      sourceProjectPath: `${mergeRequest.sourceNamespaceFullPath}/${mergeRequest.sourceProject.path}`,
      sourceBranch: mergeRequest.record.sourceBranch,
    },
  };
}

/** Where a token says the pipeline's configuration lives (GitLab's `ci_config_ref_uri` path). */
export interface IdentityOptions {
  readonly serverUrl: string;
  readonly ciConfigPath: string;
}

/**
 * The identity a job's tokens assert. `project_*` name the project the code comes from (a fork in a fork
 * merge-request pipeline, gitlab#548165) and `job_project_*` the project the job runs in; the user's access level is
 * the one they hold where the job runs (GitLab reads it on the source project: a fork's owner would be `owner` in the
 * parent's pipeline).
 */
export function jobIdentityOf(snapshot: JobSnapshot, options: IdentityOptions): JobIdentity {
  const { build, pipeline, project, namespace, user, runner, environment, mergeRequest, tokenFacts } = snapshot;
  const jobProject: ProjectIdentity = {
    id: project.id,
    fullPath: `${snapshot.namespaceFullPath}/${project.path}`,
    namespaceId: namespace.id,
    namespaceFullPath: snapshot.namespaceFullPath,
  };
  const sourceProject: ProjectIdentity = mergeRequest
    ? {
        id: mergeRequest.sourceProject.id,
        fullPath: `${mergeRequest.sourceNamespaceFullPath}/${mergeRequest.sourceProject.path}`,
        namespaceId: mergeRequest.sourceNamespace.id,
        namespaceFullPath: mergeRequest.sourceNamespaceFullPath,
      }
    : jobProject;
  // Where the job runs, even for a fork's code: what the user may do in the project whose runner and variables it uses.
  const accessLevel: AccessLevel = resolveAccessLevel(tokenFacts.memberships, {
    projectId: project.id,
    namespaceTraversalIds: namespace.traversalIds,
  });
  return {
    sourceProject,
    jobProject,
    projectVisibility: project.visibility,
    user: user && { id: user.id, username: user.username, email: user.email, accessLevel, directGroupPaths: tokenFacts.directGroupPaths },
    pipeline: {
      id: pipeline.id,
      source: pipeline.source,
      ref: snapshot.sourceRef,
      refType: pipeline.tag ? 'tag' : 'branch',
      refProtected: build.protected,
      sha: pipeline.sha,
      ciConfig: { path: options.ciConfigPath, sha: pipeline.sha },
    },
    job: {
      id: build.id,
      environment: environment && {
        name: environment.record.name,
        protected: environment.protected,
        tier: environment.record.tier,
        deploymentTier: environment.definition.deploymentTier ?? null,
        action: environment.definition.action,
      },
    },
    runner: runner && { id: runner.id, gitlabHosted: runner.gitlabHosted },
    server: serverNamesFromUrl(options.serverUrl),
  };
}
