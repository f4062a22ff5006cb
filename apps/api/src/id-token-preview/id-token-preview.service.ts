import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobDefinition } from '@lanyard/ci-config';
import {
  CLAIMS_DECIDED_AT_PICKUP,
  type EffectiveCiSettings,
  effectiveCiSettings,
  hiddenVariablePlaceholder,
  previewAuditTokens,
} from '@lanyard/id-tokens';
import { type JobSnapshot, type TokenPlan, decidePickup, failureDetailOf } from '@lanyard/pickup';
import type { CiVariableRow, ServerFailureReason } from '@lanyard/pipelines';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { generateSecretToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { LintError } from '../lint/lint-errors';
import { MergeRequestError } from '../merge-requests/merge-request-errors';
import { pipelineNotCreated } from '../pipelines/pipeline-errors';
import { PreviewError } from './preview-errors';
import { Page, PageQuery } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { LintService } from '../lint/lint.service';
import { MergeRequest } from '../merge-requests/merge-request.entity';
import { MergeRequestsService } from '../merge-requests/merge-requests.service';
import { Namespace } from '../entities/namespace.entity';
import { loadNamespacePaths } from '../routes/namespace-paths';
import { previewSnapshot } from '../pickup/snapshot-loader';
import type { JobColumns } from '../pickup/snapshot-row';
import { EnvironmentNames } from '../pipelines/environment-names';
import { jobMetadataOf } from '../pipelines/job-metadata';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { PipelineSource } from '../pipelines/pipeline.entity';
import type { Project } from '../entities/project.entity';
import { RepositoryService, ResolvedRef } from '../repository/repository.service';
import { CiVariablesService } from '../variables/variables.service';
import { IdTokenPreviewDto } from './dto/id-token-preview.dto';
import { presentAuditRow, presentTokens } from './id-token-preview.presenter';
import { listPreviews, recordPreview } from './id-token-preview.repository';

/** A job the pickup would drop: its reason, and what is wrong. */
interface Refusal {
  readonly kind: 'drop';
  readonly reason: ServerFailureReason;
  readonly detail: string;
}

/**
 * `POST /projects/:id/ci/id_token_preview`. The job is imagined as a pipeline for `ref` (or a merge request) started
 * by the caller now would create it, then read and decided by the pickup's own code (the snapshot statement's preview
 * way in, `decidePickup`), so a preview and the token minted later cannot drift. The one
 * difference: CI/CD variables the caller could not read through the variables API are decided with a placeholder.
 */
@Injectable()
export class IdTokenPreviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RepositoryService,
    private readonly lint: LintService,
    private readonly mergeRequests: MergeRequestsService,
    private readonly variables: CiVariablesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Recorded in the audit before it is answered: a preview the audit could not keep is not shown. */
  async preview(caller: Caller, project: Project, dto: IdTokenPreviewDto) {
    const at = this.clock.now();
    // One snapshot, and a guarantee that deciding writes nothing (not even the environment a pickup would ensure).
    const { audit, answer } = await this.db.transaction('REPEATABLE READ', async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      return this.decide(tx, caller, project, dto, at);
    });
    await recordPreview(this.db.manager, { projectId: project.id, userId: caller.user.id, at, ...audit });
    if (answer.kind === 'drop') throw new PreviewError('JOB_WOULD_FAIL', { job: audit.job, reason: answer.reason, detail: answer.detail });
    return answer.body;
  }

  /** `GET /projects/:id/ci/id_token_previews`: who previewed which job's tokens, and when. */
  async list(project: Project, page: PageQuery) {
    const [rows, total] = await listPreviews(this.db.manager, project.id, page.offset, page.per_page);
    return new Page(rows.map(presentAuditRow), total, page);
  }

  /** The answer and what the audit keeps of it; a request refused as invalid (400, 404) throws and is no preview. */
  private async decide(tx: EntityManager, caller: Caller, project: Project, dto: IdTokenPreviewDto, at: Date) {
    const code = await this.codeOf(tx, project, dto);
    const { ref } = code;
    const content = dto.content ?? (await this.repository.readFile(tx, code.projectId, ref.sha, CI_CONFIG_PATH))?.content.toString('utf8');
    if (content === undefined) throw new LintError('CI_CONFIG_NOT_FOUND');
    const origin = { user: caller.user, projectId: code.projectId, sha: ref.sha, refName: ref.name, pipelineSource: code.source };
    const { config, errors } = await this.lint.check(tx, project, content, origin);
    // As pipeline creation (and lint) would refuse it.
    if (errors.length) throw pipelineNotCreated(...errors);
    const job = config.jobs.find((each) => each.name === dto.job);
    if (!job) throw new PreviewError('JOB_NOT_IN_CONFIG');
    const asked = { ref: ref.name, sha: ref.sha, job: job.name, pipelineSource: code.source, unsavedConfig: dto.content !== undefined };
    const drafted = await this.draft(tx, caller, project, code, job, at);
    if ('reason' in drafted) return { audit: { ...asked, tokens: [], failureReason: drafted.reason }, answer: drafted };
    const snapshot = await previewSnapshot(tx, drafted, at);
    const hidden = await this.variables.unreadableBy(tx, caller.user, snapshot.namespace.traversalIds, snapshot.ciVariables);
    const decided = decidePickup(withPlaceholders(snapshot, hidden), {
      now: at,
      serverUrl: this.config.externalUrl,
      ciConfigPath: CI_CONFIG_PATH,
      jobToken: generateSecretToken('glcbt'),
      runnerToken: null,
      newJti: randomUUID,
    });
    if (decided.kind === 'drop') return { audit: { ...asked, tokens: [], failureReason: decided.reason }, answer: decided };
    const settings = effectiveCiSettings(snapshot.ciSettings);
    const body = {
      job: job.name,
      ref: ref.name,
      ref_type: ref.refType,
      sha: ref.sha,
      pipeline_source: code.source,
      claims_decided_at_pickup: CLAIMS_DECIDED_AT_PICKUP,
      sub_claim_components: await this.subComponentsShown(tx, settings, decided.plan),
      tokens: presentTokens(decided, [...new Set(hidden.map(({ key }) => key))]),
    };
    return {
      audit: { ...asked, tokens: previewAuditTokens(decided.plan.tokens, job.idTokens), failureReason: null },
      answer: { kind: 'run' as const, body },
    };
  }

  /**
   * The code the previewed pipeline runs: a ref of this project, or a merge request's source branch, read where
   * `MergeRequestPipelinesService` reads it (a fork, for a fork's merge request). A maintainer of this project may run
   * it here, so here it is imagined.
   */
  private async codeOf(tx: EntityManager, project: Project, dto: IdTokenPreviewDto): Promise<PreviewedCode> {
    if (dto.merge_request_iid === undefined) {
      const ref = await this.repository.resolveRef(tx, project.id, dto.ref!);
      if (!ref) throw new PreviewError('REF_NOT_FOUND');
      return { ref, projectId: project.id, mergeRequest: null, source: dto.pipeline_source ?? 'push' };
    }
    if (dto.ref !== undefined || dto.pipeline_source !== undefined) {
      throw new PreviewError('MERGE_REQUEST_WITH_REF');
    }
    const mergeRequest = await this.mergeRequests.find(tx, project, dto.merge_request_iid);
    // As creating its pipeline: no code is left to run once the source project is deleted.
    if (mergeRequest.sourceProjectId === null) throw new MergeRequestError('SOURCE_PROJECT_DELETED');
    const head = await this.repository.findRef(tx, mergeRequest.sourceProjectId, 'branch', mergeRequest.sourceBranch);
    if (!head) throw new PreviewError('SOURCE_BRANCH_NOT_FOUND');
    const ref: ResolvedRef = { name: mergeRequest.sourceBranch, refType: 'branch', sha: head.commitSha };
    return { ref, projectId: mergeRequest.sourceProjectId, mergeRequest, source: 'merge_request_event' };
  }

  /**
   * The job, metadata and pipeline columns a pipeline for `code` started now by the caller would create (never saved);
   * or the refusal of a job whose environment name expands to an invalid one, as pipeline creation fails it.
   */
  private async draft(
    tx: EntityManager,
    caller: Caller,
    project: Project,
    code: PreviewedCode,
    job: JobDefinition,
    at: Date,
  ): Promise<JobColumns | Refusal> {
    const { ref, mergeRequest } = code;
    // A merge request's ref here (`refs/merge-requests/<iid>/head`) is never protected, as its pipelines' are not.
    const refProtected = !mergeRequest && (await this.repository.protection(tx, project.id, ref.refType)).isProtected(ref.name);
    const pipelineRef = mergeRequest ? `refs/merge-requests/${mergeRequest.iid}/head` : ref.name;
    // Environment names expand with the branch name, as pipeline creation's (`plan.sourceRef`) do.
    const named = { ref: ref.name, tag: ref.refType === 'tag', sha: ref.sha, source: code.source, variables: [] };
    const environment = await new EnvironmentNames(tx, this.config.externalUrl, project, named, refProtected, caller.user).of(job);
    if (environment && !environment.valid)
      return { kind: 'drop', reason: 'environment_creation_failure', detail: failureDetailOf('environment_creation_failure') };
    // No runner takes a preview: its cache keys and tags are as written (the payload is never built).
    const metadata = jobMetadataOf(job, environment, { cacheKeys: [], tags: job.tags });
    return {
      id: 0,
      name: job.name,
      stage: job.stage,
      stage_idx: 0,
      protected: refProtected,
      user_id: caller.user.id,
      project_id: project.id,
      script: metadata.script,
      yaml_variables: metadata.variables,
      id_tokens: metadata.idTokens,
      secrets: metadata.secrets,
      jwt_claims: metadata.jwtClaims,
      environment: metadata.environment,
      job_timeout: metadata.jobTimeout,
      config_options: metadata.configOptions,
      pipeline_id: 0,
      source: code.source,
      pipeline_created_at: at.toISOString(),
      sha: ref.sha,
      ref: pipelineRef,
      tag: ref.refType === 'tag',
      pipeline_variables: [],
      merge_request_id: mergeRequest?.id ?? null,
    };
  }

  /**
   * The components `sub` is composed from, in order; `source`: where the setting was made (`project`,
   * `group:<full_path>` or `default`); `appended`: what a rule added to it, with the rule (`fork_rule`: the job runs
   * in another project than its code's, and nothing in the setting names the job's project).
   */
  private async subComponentsShown(tx: EntityManager, settings: EffectiveCiSettings, plan: TokenPlan) {
    const appended = plan.appendedSubComponent ? [{ component: plan.appendedSubComponent, source: 'fork_rule' }] : [];
    return {
      components: [...plan.subComponents, ...appended.map(({ component }) => component)],
      source: await this.settingSource(tx, settings),
      appended,
    };
  }

  private async settingSource(tx: EntityManager, settings: EffectiveCiSettings): Promise<string> {
    const from = settings.subClaimComponentsFrom;
    if (from.kind !== 'group') return from.kind;
    const group = await tx.getRepository(Namespace).findOneByOrFail({ id: from.namespaceId });
    return `group:${(await loadNamespacePaths(tx, [group])).get(group.id)!.fullPath}`;
  }
}

/** What a preview runs: `ref` (resolved where `projectId`'s code is), and the merge request it runs for, if any. */
interface PreviewedCode {
  readonly ref: ResolvedRef;
  /** Where the code and its `.gitlab-ci.yml` are read: this project, or a merge request's source project. */
  readonly projectId: number;
  readonly mergeRequest: MergeRequest | null;
  readonly source: PipelineSource;
}

/**
 * The record with each of `hidden` holding its placeholder instead of its value, before anything is expanded: the value
 * reaches no claim, no warning and no check (a refusal or a secret warning would tell something of it).
 */
function withPlaceholders(snapshot: JobSnapshot, hidden: readonly CiVariableRow[]): JobSnapshot {
  if (hidden.length === 0) return snapshot;
  const ciVariables = snapshot.ciVariables.map((variable) =>
    hidden.includes(variable) ? { ...variable, value: hiddenVariablePlaceholder(variable.key) } : variable,
  );
  return { ...snapshot, ciVariables };
}
