import { type AccessLevel, projectFullPath, resolveAccessLevel } from '@lanyard/access';
import { isProtectedRef } from '@lanyard/git-refs';
import { type JobIdentity, type ProjectIdentity, serverNamesFromUrl } from '@lanyard/id-tokens';
import { BLANK_SHA, type JobContext, environmentSlug, isDraftTitle } from '@lanyard/pipelines';
import { type JobSnapshot, projectFullPathOf, sourceRefOf } from './job-snapshot';

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
  const source = mergeRequest?.source ?? null;
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
      parallel: metadata.options?.parallel ?? null,
    },
    pipeline: {
      id: pipeline.id,
      iid: pipeline.iid ?? null,
      source: pipeline.source,
      createdAt: pipeline.createdAt.toISOString(),
      sha: pipeline.sha,
      beforeSha: pipeline.beforeSha ?? BLANK_SHA,
      ref: sourceRefOf(snapshot),
      refType: pipeline.tag ? 'tag' : 'branch',
      pipelineRef: pipeline.ref,
      refProtected: build.protected,
      name: pipeline.name ?? null,
      openMergeRequests: pipeline.openMergeRequests ?? [],
    },
    project: {
      id: project.id,
      name: project.name,
      path: project.path,
      fullPath: projectFullPathOf(snapshot),
      namespaceId: namespace.id,
      namespaceFullPath: snapshot.namespaceFullPath,
      rootNamespaceId: rootNamespace.id,
      rootNamespacePath: rootNamespace.path,
      visibility: project.visibility,
      defaultBranch: project.defaultBranch,
    },
    user: user && { id: user.id, username: user.username, email: user.email, name: user.name },
    // A preview has no runner yet: CI_RUNNER_ID 0, as at pipeline creation.
    runner: runner ? { id: runner.id, description: runner.description, tags: runner.tags } : { id: 0, description: '' },
    environment: environment && {
      name: environment.definition.name,
      slug: environmentSlug(environment.definition.name),
      tier: environment.definition.deploymentTier ?? environment.tier,
      action: environment.definition.action,
      ...(environment.definition.url === undefined ? {} : { url: environment.definition.url }),
    },
    mergeRequest: mergeRequest &&
      source && {
        id: mergeRequest.record.id,
        iid: mergeRequest.record.iid,
        title: mergeRequest.record.title,
        projectId: mergeRequest.record.targetProjectId,
        projectPath: mergeRequest.targetFullPath,
        targetBranch: mergeRequest.record.targetBranch,
        targetBranchProtected: isProtectedRef(
          mergeRequest.record.targetBranch,
          mergeRequest.targetBranchRules.map((rule) => rule.name),
        ),
        sourceProjectId: source.project.id,
        sourceProjectPath: projectFullPath(source.namespaceFullPath, source.project.path),
        sourceBranch: mergeRequest.record.sourceBranch,
        description: mergeRequest.record.description === '' ? null : mergeRequest.record.description,
        draft: isDraftTitle(mergeRequest.record.title),
        sourceBranchProtected: isProtectedRef(
          mergeRequest.record.sourceBranch,
          mergeRequest.sourceBranchRules.map((rule) => rule.name),
        ),
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
    fullPath: projectFullPathOf(snapshot),
    namespaceId: namespace.id,
    namespaceFullPath: snapshot.namespaceFullPath,
  };
  const source = mergeRequest?.source ?? null;
  const sourceProject: ProjectIdentity = source
    ? {
        id: source.project.id,
        fullPath: projectFullPath(source.namespaceFullPath, source.project.path),
        namespaceId: source.namespace.id,
        namespaceFullPath: source.namespaceFullPath,
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
      ref: sourceRefOf(snapshot),
      refType: pipeline.tag ? 'tag' : 'branch',
      refProtected: build.protected,
      sha: pipeline.sha,
      ciConfig: { path: options.ciConfigPath, sha: pipeline.sha },
    },
    job: {
      id: build.id,
      environment: environment && {
        name: environment.definition.name,
        protected: environment.deployRules !== null,
        tier: environment.tier,
        deploymentTier: environment.definition.deploymentTier ?? null,
        action: environment.definition.action,
      },
    },
    runner: runner && { id: runner.id, gitlabHosted: runner.gitlabHosted },
    server: serverNamesFromUrl(options.serverUrl),
  };
}
