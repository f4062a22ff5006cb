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
import { pipelineNotCreated } from '../pipelines/pipeline-errors';
import { PreviewError } from './preview-errors';
import { Page, PageQuery } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { MergeRequestsService } from '../merge-requests/merge-requests.service';
import { Namespace } from '../entities/namespace.entity';
import { loadNamespacePaths } from '../routes/namespace-paths';
import { previewSnapshot } from '../pickup/snapshot-loader';
import type { JobColumns } from '../pickup/snapshot-row';
import { EnvironmentNames } from '../pipelines/environment-names';
import { jobMetadataOf } from '../pipelines/job-metadata';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import type { PipelinePlan } from '../pipelines/pipeline-plan';
import { PipelinePlanner } from '../pipelines/pipeline-planner';
import type { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { CiVariablesService } from '../variables/variables.service';
import { IdTokenPreviewDto } from './dto/id-token-preview.dto';
import { presentAuditRow, presentTokens } from './id-token-preview.presenter';
import { type PreviewAuditEntry, listPreviews, recordPreview } from './id-token-preview.repository';
import { type PreviewedCode, previewPlan, previewedCode } from './preview-pipeline';

/** A job the pickup would drop: its reason, and what is wrong. */
interface Refusal {
  readonly kind: 'drop';
  readonly reason: ServerFailureReason;
  readonly detail: string;
}

/** A job of the config: not created by this pipeline, dropped when a runner takes it, or run with these tokens. */
type JobDecision = { readonly kind: 'absent' } | Refusal | { readonly kind: 'run'; readonly body: Readonly<Record<string, unknown>> };

interface JobDecided {
  readonly audit: Pick<PreviewAuditEntry, 'tokens' | 'failureReason'>;
  readonly answer: JobDecision;
}

interface JobAnswer {
  readonly job: string;
  readonly audit: Omit<PreviewAuditEntry, 'projectId' | 'userId' | 'at'>;
  readonly answer: JobDecision;
}

/** `exists`: whether the pipeline would create the job; its claims only if it would, and a runner could run it. */
function presentJobAnswer({ job, answer }: JobAnswer) {
  if (answer.kind === 'absent') return { job, exists: false };
  if (answer.kind === 'drop') return { job, exists: true, failure: { reason: answer.reason, detail: answer.detail } };
  return { job, exists: true, ...answer.body };
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
    private readonly planner: PipelinePlanner,
    private readonly mergeRequests: MergeRequestsService,
    private readonly variables: CiVariablesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Recorded in the audit before it is answered: a preview the audit could not keep is not shown. */
  async preview(caller: Caller, project: Project, dto: IdTokenPreviewDto) {
    const at = this.clock.now();
    // One snapshot, and a guarantee that deciding writes nothing (not even the environment a pickup would ensure).
    const { about, answers } = await this.db.transaction('REPEATABLE READ', async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      return this.decide(tx, caller, project, dto, at);
    });
    for (const { audit } of answers) await recordPreview(this.db.manager, { projectId: project.id, userId: caller.user.id, at, ...audit });
    if (dto.job === undefined) return { ...about, jobs: answers.map(presentJobAnswer) };
    const [{ job, answer }] = answers;
    // One job asked for: a job that would fail answers as a refusal, naming why.
    if (answer.kind === 'drop') throw new PreviewError('JOB_WOULD_FAIL', { job, reason: answer.reason, detail: answer.detail });
    const { job: name, ...shown } = presentJobAnswer(answers[0]);
    return { job: name, ...about, ...shown };
  }

  /** `GET /projects/:id/ci/id_token_previews`: who previewed which job's tokens, and when. */
  async list(project: Project, page: PageQuery) {
    const [rows, total] = await listPreviews(this.db.manager, project.id, page.offset, page.per_page);
    return new Page(rows.map(presentAuditRow), total, page);
  }

  /**
   * The answer and what the audit keeps of it (a row per job answered); a request refused as invalid (400, 404)
   * throws and is no preview. Which jobs exist is decided by pipeline creation's own planning.
   */
  private async decide(tx: EntityManager, caller: Caller, project: Project, dto: IdTokenPreviewDto, at: Date) {
    const code = await previewedCode(tx, this.repository, this.mergeRequests, project, dto);
    const { ref } = code;
    const content = dto.content ?? (await this.repository.readFile(tx, code.projectId, ref.sha, CI_CONFIG_PATH))?.content.toString('utf8');
    if (content === undefined) throw new LintError('CI_CONFIG_NOT_FOUND');
    const refProtected = (await this.repository.protection(tx, project.id, ref.refType)).isProtected(ref.name);
    const plan = previewPlan(code, refProtected);
    const planned = await this.planner.plan(tx, caller, project, plan, content);
    // As pipeline creation would refuse it; a pipeline filtered out by `workflow:rules` creates no job at all.
    if (planned.kind === 'invalid') throw pipelineNotCreated(...planned.errors);
    if (planned.kind === 'empty') throw pipelineNotCreated('No stages / jobs for this pipeline.');
    const { selection, config } = planned;
    if (selection.errors.length && !selection.filtered) throw pipelineNotCreated(...selection.errors);
    if (dto.job !== undefined && !config.jobs.some((each) => each.name === dto.job)) throw new PreviewError('JOB_NOT_IN_CONFIG');
    const created = new Map(selection.jobs.map((job) => [job.name, job]));
    const about = { ref: ref.name, ref_type: ref.refType, sha: ref.sha, pipeline_source: code.source };
    const asked = { ref: ref.name, sha: ref.sha, pipelineSource: code.source, unsavedConfig: dto.content !== undefined };
    const answers: JobAnswer[] = [];
    for (const { name } of config.jobs.filter((each) => dto.job === undefined || each.name === dto.job)) {
      const job = created.get(name);
      const decided: JobDecided = job
        ? await this.decideJob(tx, caller, project, code, plan, job, at)
        : { audit: { tokens: [], failureReason: null }, answer: { kind: 'absent' } };
      answers.push({ job: name, audit: { ...asked, job: name, ...decided.audit }, answer: decided.answer });
    }
    return { about, answers };
  }

  /** One job the pipeline would create: its tokens' claims as the pickup would decide them now, or why it would fail. */
  private async decideJob(
    tx: EntityManager,
    caller: Caller,
    project: Project,
    code: PreviewedCode,
    plan: PipelinePlan,
    job: JobDefinition,
    at: Date,
  ): Promise<JobDecided> {
    const drafted = await this.draft(tx, caller, project, code, plan, job, at);
    if ('reason' in drafted) return { audit: { tokens: [], failureReason: drafted.reason }, answer: drafted };
    const snapshot = await previewSnapshot(tx, drafted, at);
    const hidden = await this.variables.unreadableBy(tx, caller.user, snapshot.namespace.traversalIds, snapshot.ciVariables);
    const decided = decidePickup(withPlaceholders(snapshot, hidden), {
      now: at,
      serverUrl: this.config.externalUrl,
      issuer: this.config.idTokenIssuerUrl,
      ciConfigPath: CI_CONFIG_PATH,
      jobToken: generateSecretToken('glcbt'),
      runnerToken: null,
      newJti: randomUUID,
    });
    if (decided.kind === 'drop') return { audit: { tokens: [], failureReason: decided.reason }, answer: decided };
    const settings = effectiveCiSettings(snapshot.ciSettings);
    const body = {
      claims_decided_at_pickup: CLAIMS_DECIDED_AT_PICKUP,
      sub_claim_components: await this.subComponentsShown(tx, settings, decided.plan),
      tokens: presentTokens(decided, [...new Set(hidden.map(({ key }) => key))]),
    };
    return {
      audit: { tokens: previewAuditTokens(decided.plan.tokens, job.idTokens), failureReason: null },
      answer: { kind: 'run', body },
    };
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
    plan: PipelinePlan,
    job: JobDefinition,
    at: Date,
  ): Promise<JobColumns | Refusal> {
    const { ref, mergeRequest } = code;
    // The plan's: a merge request's ref here (`refs/merge-requests/<iid>/head`) is never protected.
    const { refProtected, ref: pipelineRef } = plan;
    // Environment names expand with the branch name, as pipeline creation's (`plan.sourceRef`) do.
    const named = { ref: ref.name, tag: ref.refType === 'tag', sha: ref.sha, source: code.source, variables: [], iid: null };
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
