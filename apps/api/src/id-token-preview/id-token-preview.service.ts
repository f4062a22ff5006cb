import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobDefinition } from '@lanyard/ci-config';
import { CLAIMS_DECIDED_AT_PICKUP, hiddenVariablePlaceholder, isLegacyV1Token, previewAuditTokens, previewClaims, previewWarnings } from '@lanyard/id-tokens';
import type { ServerFailureReason } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { generateSecretToken } from '../auth/secret-token';
import { BuildMetadata } from '../builds/build-metadata.entity';
import { Build } from '../builds/build.entity';
import { JobDecision, JobPayloadService, JobRefused } from '../builds/job-payload.service';
import { JobDraft, JobRecord, JobRecordLoader } from '../builds/job-record';
import { CiSettingsService, EffectiveCiSettings } from '../ci-settings/ci-settings.service';
import { CLOCK, type Clock } from '../clock/clock';
import { ApiError } from '../common/api-error';
import { Page, PageQuery } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { LintService } from '../lint/lint.service';
import { Namespace } from '../namespaces/namespace.entity';
import { loadNamespacePaths } from '../namespaces/namespace-paths';
import { EnvironmentNames } from '../pipelines/environment-names';
import { jobMetadataOf } from '../pipelines/job-metadata';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { Pipeline } from '../pipelines/pipeline.entity';
import type { Project } from '../projects/project.entity';
import { RepositoryService, ResolvedRef } from '../repository/repository.service';
import type { CiVariable } from '../variables/ci-variable.entity';
import { CiVariablesService } from '../variables/variables.service';
import { IdTokenPreviewDto } from './dto/id-token-preview.dto';
import { PreviewAuditRow, listPreviews, recordPreview } from './id-token-preview.repository';

/**
 * `POST /projects/:id/ci/id_token_preview`. The job is imagined as a pipeline for `ref` started by the caller now
 * would create it, then read and decided by the pickup's own code (`JobRecordLoader.preview`,
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
    const ref = await this.repository.resolveRef(tx, project.id, dto.ref);
    if (!ref) throw ApiError.invalidField('ref', 'not found');
    const content = dto.content ?? (await this.repository.readFile(tx, project.id, ref.sha, CI_CONFIG_PATH))?.content.toString('utf8');
    if (content === undefined) throw ApiError.notFound('CI config file');
    const { config, errors } = await this.lint.check(tx, project, content);
    // As pipeline creation (and lint) would refuse it.
    if (errors.length) throw new ApiError(400, { message: { base: errors } });
    const job = config.jobs.find((each) => each.name === dto.job);
    if (!job) throw ApiError.invalidField('job', `is not a job of this CI config`);
    const source = dto.pipeline_source ?? 'push';
    const asked = { ref: ref.name, sha: ref.sha, job: job.name, pipelineSource: source, unsavedConfig: dto.content !== undefined };
    const drafted = await this.draft(tx, caller, project, ref, job, source, at);
    if ('failureReason' in drafted) return { audit: { ...asked, tokens: [], failureReason: drafted.failureReason }, answer: drafted };
    const record = await this.records.preview(tx, drafted);
    const hidden = await this.variables.unreadableBy(tx, caller.user, record.namespace, record.ciVariables);
    const decided = this.payloads.decide(withPlaceholders(record, hidden), { jobToken: generateSecretToken('glcbt'), runnerToken: null, startedAt: at });
    if (!decided.ok) return { audit: { ...asked, tokens: [], failureReason: decided.failureReason }, answer: decided };
    const settings = await this.ciSettings.forProject(tx, project.id);
    const body = {
      job: job.name,
      ref: ref.name,
      ref_type: ref.refType,
      sha: ref.sha,
      pipeline_source: source,
      claims_decided_at_pickup: CLAIMS_DECIDED_AT_PICKUP,
      sub_claim_components: { components: decided.plan.subComponents, source: await this.subComponentsSource(tx, settings) },
      tokens: presentTokens(decided, [...new Set(hidden.map(({ key }) => key))]),
    };
    return { audit: { ...asked, tokens: previewAuditTokens(decided.plan.tokens, job.idTokens), failureReason: null }, answer: { ok: true as const, body } };
  }

  /**
   * The pipeline, job and metadata rows a pipeline for `ref` started now by the caller would create (never saved); or
   * the pickup's refusal of a job whose environment name expands to an invalid one.
   */
  private async draft(tx: EntityManager, caller: Caller, project: Project, ref: ResolvedRef, job: JobDefinition, source: Pipeline['source'], at: Date): Promise<JobDraft | JobRefused> {
    const refProtected = (await this.repository.protection(tx, project.id, ref.refType)).isProtected(ref.name);
    const pipeline = tx.getRepository(Pipeline).create({
      id: 0,
      projectId: project.id,
      ref: ref.name,
      tag: ref.refType === 'tag',
      sha: ref.sha,
      source,
      userId: caller.user.id,
      status: 'created',
      variables: [],
      yamlErrors: null,
      createdAt: at,
    });
    const environment = await new EnvironmentNames(tx, this.config.externalUrl, project, pipeline, refProtected, caller.user).of(job);
    if (environment && !environment.valid) return { ok: false, failureReason: 'environment_creation_failure', detail: 'its environment name expands to an invalid one' };
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

  /** `project`, `group:<full_path>` or `default`: where the `sub` components in force were set. */
  private async subComponentsSource(tx: EntityManager, settings: EffectiveCiSettings): Promise<string> {
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
function withPlaceholders(record: JobRecord, hidden: readonly CiVariable[]): JobRecord {
  if (hidden.length === 0) return record;
  const ciVariables = record.ciVariables.map((variable) => (hidden.includes(variable) ? { ...variable, value: hiddenVariablePlaceholder(variable.key) } : variable));
  return { ...record, ciVariables };
}

/** Each token as minted minus what only the pickup knows; the custom claims with the level each comes from. */
function presentTokens(decided: Extract<JobDecision, { ok: true }>, hiddenVariables: readonly string[]) {
  const { plan, secretValues } = decided;
  return plan.tokens.map(({ variable, claims }) => {
    const legacyV1 = isLegacyV1Token(claims);
    const customClaims = legacyV1 ? [] : plan.customClaims;
    return {
      variable,
      claims: previewClaims(claims),
      custom_claims: customClaims.map(({ key, value, source }) => ({ key, value, source })),
      warnings: previewWarnings({
        claims: claims as Readonly<Record<string, unknown>>,
        customClaimKeys: customClaims.map(({ key }) => key),
        subComponents: legacyV1 ? null : plan.subComponents,
        secretValues,
        hiddenVariables,
      }),
    };
  });
}

/** The job would be created, but a runner taking it now would get it failed with `reason` and no token. */
function wouldFail(job: string, reason: ServerFailureReason, detail: string): ApiError {
  return new ApiError(422, {
    error: 'job_would_fail',
    failure_reason: reason,
    message: `jobs:${job} would fail when a runner takes it (${reason}): ${detail}`,
  });
}

function presentAuditRow(row: PreviewAuditRow) {
  return {
    id: row.id,
    created_at: row.created_at,
    author: row.user_id === null ? null : { id: row.user_id, username: row.username, name: row.name },
    ref: row.ref,
    sha: row.sha,
    job: row.job,
    pipeline_source: row.pipeline_source,
    unsaved_config: row.unsaved_config,
    tokens: row.tokens.map(({ variable, aud, sub }) => ({ variable, aud, sub })),
    failure_reason: row.failure_reason,
  };
}
