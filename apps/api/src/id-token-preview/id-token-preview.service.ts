import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobDefinition } from '@lanyard/ci-config';
import { CLAIMS_DECIDED_AT_PICKUP, hiddenVariablePlaceholder, previewAuditTokens } from '@lanyard/id-tokens';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { generateSecretToken } from '../auth/secret-token';
import { BuildMetadata } from '../builds/build-metadata.entity';
import { Build } from '../builds/build.entity';
import { JobPayloadService, JobRefused } from '../builds/job-payload.service';
import { JobDraft, JobRecord, JobRecordLoader } from '../builds/job-record';
import { CiSettingsService, EffectiveCiSettings } from '../ci-settings/ci-settings.service';
import { CLOCK, type Clock } from '../clock/clock';
import { ApiError } from '../common/api-error';
import { Page, PageQuery } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { TokenPlan } from '../id-tokens/id-token.service';
import { LintService } from '../lint/lint.service';
import { MergeRequest } from '../merge-requests/merge-request.entity';
import { MergeRequestsService } from '../merge-requests/merge-requests.service';
import { Namespace } from '../namespaces/namespace.entity';
import { loadNamespacePaths } from '../namespaces/namespace-paths';
import { EnvironmentNames } from '../pipelines/environment-names';
import { jobMetadataOf } from '../pipelines/job-metadata';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { Pipeline, PipelineSource } from '../pipelines/pipeline.entity';
import type { Project } from '../projects/project.entity';
import { RepositoryService, ResolvedRef } from '../repository/repository.service';
import type { CiVariable } from '../variables/ci-variable.entity';
import { CiVariablesService } from '../variables/variables.service';
import { IdTokenPreviewDto } from './dto/id-token-preview.dto';
import { presentAuditRow, presentTokens, wouldFail } from './id-token-preview.presenter';
import { listPreviews, recordPreview } from './id-token-preview.repository';

/**
 * `POST /projects/:id/ci/id_token_preview`. The job is imagined as a pipeline for `ref` (or a merge request) started
 * by the caller now would create it, then read and decided by the pickup's own code (`JobRecordLoader.preview`,
 * `JobPayloadService.decide`, `IdTokenService.plan`), so a preview and the token minted later cannot drift. The one
 * difference: CI/CD variables the caller could not read through the variables API are decided with a placeholder.
 */
@Injectable()
export class IdTokenPreviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RepositoryService,
    private readonly lint: LintService,
    private readonly ciSettings: CiSettingsService,
    private readonly records: JobRecordLoader,
    private readonly payloads: JobPayloadService,
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
    if (!answer.ok) throw wouldFail(audit.job, answer.failureReason, answer.detail);
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
    if (content === undefined) throw ApiError.notFound('CI config file');
    const { config, errors } = await this.lint.check(tx, project, content);
    // As pipeline creation (and lint) would refuse it.
    if (errors.length) throw new ApiError(400, { message: { base: errors } });
    const job = config.jobs.find((each) => each.name === dto.job);
    if (!job) throw ApiError.invalidField('job', `is not a job of this CI config`);
    const asked = { ref: ref.name, sha: ref.sha, job: job.name, pipelineSource: code.source, unsavedConfig: dto.content !== undefined };
    const drafted = await this.draft(tx, caller, project, code, job, at);
    if ('failureReason' in drafted) return { audit: { ...asked, tokens: [], failureReason: drafted.failureReason }, answer: drafted };
    const record = await this.records.preview(tx, drafted);
    const hidden = await this.variables.unreadableBy(tx, caller.user, record.namespace, record.ciVariables);
    const decided = this.payloads.decide(withPlaceholders(record, hidden), {
      jobToken: generateSecretToken('glcbt'),
      runnerToken: null,
      startedAt: at,
    });
    if (!decided.ok) return { audit: { ...asked, tokens: [], failureReason: decided.failureReason }, answer: decided };
    const settings = await this.ciSettings.forProject(tx, project.id);
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
      answer: { ok: true as const, body },
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
      if (!ref) throw ApiError.invalidField('ref', 'not found');
      return { ref, projectId: project.id, mergeRequest: null, source: dto.pipeline_source ?? 'push' };
    }
    if (dto.ref !== undefined || dto.pipeline_source !== undefined) {
      throw ApiError.badRequest(
        'merge_request_iid, ref and pipeline_source are mutually exclusive: a merge request decides the ref and the source',
      );
    }
    const mergeRequest = await this.mergeRequests.find(tx, project, dto.merge_request_iid);
    // As creating its pipeline: no code is left to run once the source project is deleted.
    if (mergeRequest.sourceProjectId === null) throw new ApiError(405, { message: '405 Method Not Allowed' });
    const head = await this.repository.findRef(tx, mergeRequest.sourceProjectId, 'branch', mergeRequest.sourceBranch);
    if (!head) throw ApiError.invalidField('merge_request_iid', 'source branch not found');
    const ref: ResolvedRef = { name: mergeRequest.sourceBranch, refType: 'branch', sha: head.commitSha };
    return { ref, projectId: mergeRequest.sourceProjectId, mergeRequest, source: 'merge_request_event' };
  }

  /**
   * The pipeline, job and metadata rows a pipeline for `code` started now by the caller would create (never saved); or
   * the pickup's refusal of a job whose environment name expands to an invalid one.
   */
  private async draft(
    tx: EntityManager,
    caller: Caller,
    project: Project,
    code: PreviewedCode,
    job: JobDefinition,
    at: Date,
  ): Promise<JobDraft | JobRefused> {
    const { ref, mergeRequest } = code;
    // A merge request's ref here (`refs/merge-requests/<iid>/head`) is never protected, as its pipelines' are not.
    const refProtected = !mergeRequest && (await this.repository.protection(tx, project.id, ref.refType)).isProtected(ref.name);
    const pipeline = tx.getRepository(Pipeline).create({
      id: 0,
      projectId: project.id,
      ref: mergeRequest ? `refs/merge-requests/${mergeRequest.iid}/head` : ref.name,
      tag: ref.refType === 'tag',
      sha: ref.sha,
      source: code.source,
      userId: caller.user.id,
      status: 'created',
      variables: [],
      mergeRequestId: mergeRequest?.id ?? null,
      yamlErrors: null,
      createdAt: at,
    });
    // Environment names expand with the branch name, as pipeline creation's (`plan.sourceRef`) do.
    const named = { ...pipeline, ref: ref.name };
    const environment = await new EnvironmentNames(tx, this.config.externalUrl, project, named, refProtected, caller.user).of(job);
    if (environment && !environment.valid)
      return { ok: false, failureReason: 'environment_creation_failure', detail: 'its environment name expands to an invalid one' };
    const build = tx.getRepository(Build).create({
      id: 0,
      pipelineId: 0,
      projectId: project.id,
      name: job.name,
      stage: job.stage,
      status: 'created',
      userId: caller.user.id,
      timeout: job.timeoutSeconds ?? project.buildTimeout,
      protected: refProtected,
    });
    const metadata = tx.getRepository(BuildMetadata).create({ buildId: 0, ...jobMetadataOf(job, environment) });
    return { build, metadata, pipeline, project, user: caller.user };
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
function withPlaceholders(record: JobRecord, hidden: readonly CiVariable[]): JobRecord {
  if (hidden.length === 0) return record;
  const ciVariables = record.ciVariables.map((variable) =>
    hidden.includes(variable) ? { ...variable, value: hiddenVariablePlaceholder(variable.key) } : variable,
  );
  return { ...record, ciVariables };
}
