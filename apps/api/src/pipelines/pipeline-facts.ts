import { Inject, Injectable } from '@nestjs/common';
import {
  type CiConfigResult,
  type JobSelection,
  type MergeRequestFacts,
  type PipelineFacts,
  type PipelineOrigin,
  type PolicyFacts,
  type SelectionFacts,
  pipelineRuleVariables,
  selectJobs,
} from '@lanyard/ci-config';
import { BLANK_SHA, isDraftTitle, resolveJobVariables } from '@lanyard/pipelines';
import type { EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import type { Caller } from '../auth/caller';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Namespace } from '../entities/namespace.entity';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { loadProjectFullPath } from '../routes/project-full-path';
import { CiVariable } from '../variables/ci-variable.entity';
import { changedPaths, changedSinceMergeBase, filesAt } from './repository-facts';
import { loadRuleLookups, repositoryReads } from './rule-lookups';
import type { PipelinePlan } from './pipeline-plan';

const MAX_OPEN_MERGE_REQUESTS = 4;

interface MergeRequestRow {
  id: string;
  iid: number;
  title: string;
  description: string;
  target_project_id: string;
  source_project_id: string;
  source_branch: string;
  target_branch: string;
}

/**
 * Everything `workflow:rules`, `rules:` and `only`/`except` look at for one pipeline being created, read once: the
 * pipeline source and ref (or merge request), the variables it may see (predefined for that source, the project's and
 * groups' CI/CD variables for its protection, the pipeline's own), the diff for `changes` (none: every `changes`
 * holds) and the files at its sha for `exists`.
 */
@Injectable()
export class PipelineFactsLoader {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RepositoryService,
    private readonly access: AccessService,
  ) {}

  /** `workflow:rules`, then each job's `rules:` or `only`/`except`, against the pipeline's facts read once. */
  async selectJobs(tx: EntityManager, caller: Caller, project: Project, plan: PipelinePlan, config: CiConfigResult): Promise<JobSelection> {
    return selectJobs(config, await this.load(tx, caller, project, plan, config));
  }

  async load(tx: EntityManager, caller: Caller, project: Project, plan: PipelinePlan, config: CiConfigResult): Promise<SelectionFacts> {
    const fullPath = await loadProjectFullPath(tx, project);
    const mergeRequest = plan.mergeRequestId === null ? null : await this.mergeRequest(tx, plan.mergeRequestId);
    const origin: PipelineOrigin = mergeRequest
      ? { source: 'merge_request_event', mergeRequest }
      : { source: plan.source as Exclude<PipelinePlan['source'], 'merge_request_event'>, ref: await this.branchOrTag(tx, project, plan) };
    const pipeline: PipelineFacts = {
      origin,
      serverUrl: this.config.externalUrl,
      sha: plan.sha,
      beforeSha: plan.beforeSha ?? BLANK_SHA,
      refProtected: plan.refProtected,
      defaultBranch: project.defaultBranch,
      configPath: '.gitlab-ci.yml',
      commit: await this.commit(tx, plan),
      openMergeRequests: plan.tag
        ? []
        : await this.openMergeRequests(tx, mergeRequest?.sourceProjectId ?? plan.configProjectId, plan.sourceRef),
    };
    const policy: PolicyFacts = {
      source: plan.source,
      refType: mergeRequest ? 'merge_request' : plan.tag ? 'tag' : 'branch',
      ref: plan.ref,
      projectFullPath: fullPath,
      kubernetesActive: false,
    };
    const ciVariables = await this.ciVariables(tx, project, plan.refProtected);
    const pipelineVariables = Object.fromEntries(plan.variables.map((variable) => [variable.key, variable.value]));
    const lookups = await loadRuleLookups(tx, this.repository, this.access, config, {
      caller,
      codeProjectId: plan.configProjectId,
      sha: plan.sha,
      variables: { ...pipelineRuleVariables(pipeline), ...config.globalVariables, ...ciVariables.forJob(null), ...pipelineVariables },
    });
    // Nothing evaluates them otherwise: a file without `changes` or `exists` costs no diff and no file list.
    const reads = repositoryReads(config);
    return {
      pipeline,
      policy,
      repository: {
        changedPaths: reads.diff ? await this.diff(tx, plan, mergeRequest) : null,
        files: reads.files ? await filesAt(tx, this.repository, plan.configProjectId, plan.sha) : [],
        ...lookups,
      },
      ciVariables: ciVariables.forJob,
      pipelineVariables,
      maskedValues: ciVariables.masked,
    };
  }

  /** GitLab's `modified_paths`: the push's diff, or the merge request's; null (every `changes` holds) without one. */
  private async diff(tx: EntityManager, plan: PipelinePlan, mergeRequest: MergeRequestFacts | null): Promise<string[] | null> {
    if (mergeRequest) {
      const target = await this.repository.findRef(tx, mergeRequest.projectId, 'branch', mergeRequest.targetBranch);
      return target
        ? changedSinceMergeBase(tx, this.repository, plan.configProjectId, plan.sha, mergeRequest.projectId, target.commitSha)
        : null;
    }
    return plan.beforeSha ? changedPaths(tx, this.repository, plan.configProjectId, plan.beforeSha, plan.sha) : null;
  }

  private async branchOrTag(tx: EntityManager, project: Project, plan: PipelinePlan) {
    if (!plan.tag) return { type: 'branch' as const, name: plan.ref };
    const tag = await this.repository.findRef(tx, project.id, 'tag', plan.ref);
    return { type: 'tag' as const, name: plan.ref, message: tag?.message ?? '' };
  }

  /** `Commit#full_title` is the first line, `#description` the rest (GitLab strips the blank line between). */
  private async commit(tx: EntityManager, plan: PipelinePlan): Promise<PipelineFacts['commit']> {
    const commit = await this.repository.findCommit(tx, plan.configProjectId, plan.sha);
    if (!commit) return undefined;
    const newline = commit.message.indexOf('\n');
    return {
      message: commit.message,
      title: newline < 0 ? commit.message : commit.message.slice(0, newline),
      description: newline < 0 ? '' : commit.message.slice(newline + 1).replace(/^\n+/, ''),
      timestamp: commit.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      author: `${commit.authorName} <${commit.authorEmail}>`,
    };
  }

  private async mergeRequest(tx: EntityManager, id: number): Promise<MergeRequestFacts> {
    const [row]: MergeRequestRow[] = await tx.query(
      `SELECT id, iid, title, description, target_project_id, source_project_id, source_branch, target_branch
         FROM merge_requests WHERE id = $1`,
      [id],
    );
    const target = await tx.getRepository(Project).findOneByOrFail({ id: Number(row.target_project_id) });
    const source = await tx.getRepository(Project).findOneByOrFail({ id: Number(row.source_project_id) });
    return {
      id: Number(row.id),
      iid: row.iid,
      title: row.title,
      description: row.description === '' ? null : row.description,
      draft: isDraftTitle(row.title),
      squashOnMerge: false,
      assignees: [],
      milestone: null,
      labels: [],
      projectId: target.id,
      projectPath: await loadProjectFullPath(tx, target),
      targetBranch: row.target_branch,
      targetBranchProtected: await this.repository.isProtectedRef(tx, target.id, row.target_branch, 'branch'),
      sourceProjectId: source.id,
      sourceProjectPath: await loadProjectFullPath(tx, source),
      sourceBranch: row.source_branch,
      sourceBranchProtected: await this.repository.isProtectedRef(tx, source.id, row.source_branch, 'branch'),
      eventType: 'detached',
    };
  }

  /** GitLab's `open_merge_requests_refs`: open merge requests from this branch, newest first, at most four. */
  private async openMergeRequests(tx: EntityManager, sourceProjectId: number, branch: string) {
    const rows: { iid: number; target_project_id: string }[] = await tx.query(
      `SELECT iid, target_project_id FROM merge_requests
        WHERE source_project_id = $1 AND source_branch = $2 AND state = 'opened' ORDER BY id DESC LIMIT $3`,
      [sourceProjectId, branch, MAX_OPEN_MERGE_REQUESTS],
    );
    const result: { projectPath: string; iid: number }[] = [];
    for (const row of rows) {
      const target = await tx.getRepository(Project).findOneByOrFail({ id: Number(row.target_project_id) });
      result.push({ projectPath: await loadProjectFullPath(tx, target), iid: row.iid });
    }
    return result;
  }

  /** The project's and its groups' CI/CD variables for a job deploying to an environment (or none), nearest winning. */
  private async ciVariables(tx: EntityManager, project: Project, protectedRef: boolean) {
    const namespace = await tx.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
    const groupIds = namespace.type === 'Group' ? namespace.traversalIds.map(Number) : [];
    const rows = await tx
      .getRepository(CiVariable)
      .createQueryBuilder('v')
      .where('v.project_id = :projectId', { projectId: project.id })
      .orWhere('v.namespace_id = ANY(:groupIds)', { groupIds })
      .orderBy('v.id')
      .getMany();
    const scoped = rows.map((row) => ({
      ...row,
      projectId: row.projectId === null ? null : Number(row.projectId),
      namespaceId: row.namespaceId === null ? null : Number(row.namespaceId),
    }));
    const cache = new Map<string | null, Readonly<Record<string, string>>>();
    const forJob = (environment: string | null) => {
      let variables = cache.get(environment);
      if (!variables) {
        const chosen = resolveJobVariables(scoped, project.id, groupIds, { protectedRef, environment });
        cache.set(environment, (variables = Object.fromEntries(chosen.map((variable) => [variable.key, variable.value]))));
      }
      return variables;
    };
    const masked = rows.filter((row) => row.masked).map((row) => row.value);
    return { forJob, masked };
  }
}
