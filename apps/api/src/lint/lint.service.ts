import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CiConfigWithIncludes, JobDefinition } from '@lanyard/ci-config';
import { subClaimMintingProblem } from '@lanyard/id-tokens';
import { DataSource, EntityManager } from 'typeorm';
import { CiSettingsService } from '../ci-settings/ci-settings.service';
import type { EffectiveCiSettings } from '@lanyard/id-tokens';
import { CustomClaimsService, type ProjectClaimRules } from '../custom-claims/custom-claims.service';
import { jobClaimErrors, jobClaimWarnings } from '../custom-claims/job-claim-errors';
import { AudienceSecretsService } from '../id-tokens/audience-secrets.service';
import type { Caller } from '../auth/caller';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ciConfigOptions } from '../pipelines/ci-config-options';
import { CiConfigOrigin, CiConfigSource } from '../pipelines/ci-config-source';
import { CI_CONFIG_PATH, PipelineCreationService } from '../pipelines/pipeline-creation.service';
import { PipelineError } from '../pipelines/pipeline-errors';
import type { PipelinePlan } from '../pipelines/pipeline-plan';
import { PipelinePlanner } from '../pipelines/pipeline-planner';
import { AccessService } from '../auth/access.service';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { LintContentDto, LintRefQuery } from './dto/lint.dto';
import { presentDryRunJob, presentInclude, presentLint, presentStaticJob } from './lint.presenter';
import { LintError } from './lint-errors';

export interface LintCheck {
  readonly config: CiConfigWithIncludes;
  readonly errors: string[];
  readonly settings: EffectiveCiSettings;
  readonly claimRules: ProjectClaimRules;
}

/** `POST/GET /projects/:id/ci/lint`: the same checks a pipeline's creation runs, under the project's settings. */
@Injectable()
export class LintService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ciSettings: CiSettingsService,
    private readonly repository: RepositoryService,
    private readonly audienceSecrets: AudienceSecretsService,
    private readonly customClaims: CustomClaimsService,
    private readonly ciConfigSource: CiConfigSource,
    private readonly access: AccessService,
    private readonly creation: PipelineCreationService,
    private readonly planner: PipelinePlanner,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  /** Content posted: its includes resolve at `ref` (the default branch unless given), as GitLab's lint. */
  async lintContent(caller: Caller, project: Project, dto: LintContentDto) {
    const { content, ref } = dto;
    if (dto.dry_run) return this.dryRun(caller, project, content, ref);
    const refName = ref ?? project.defaultBranch ?? '';
    const resolved = refName ? await this.repository.resolveRevision(this.db.manager, project.id, refName) : null;
    return this.lintAt(project, content, this.origin(caller, project, resolved?.sha ?? '', refName), dto.include_jobs === true);
  }

  /**
   * GitLab's `dry_run`: the pipeline a push to `ref` (the default branch unless given) would create from `content`,
   * simulated by pipeline creation's own planning (the caller's right to run it included) in a read-only
   * transaction, so nothing is stored. Its jobs are those the rules keep, as the rules leave them.
   */
  async dryRun(caller: Caller, project: Project, content: string, ref?: string) {
    const refName = ref ?? project.defaultBranch ?? '';
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      const resolved = refName ? await this.repository.resolveRevision(tx, project.id, refName) : null;
      const staticCheck = await this.checked(tx, project, content, this.origin(caller, project, resolved?.sha ?? '', refName), false);
      if (!staticCheck.valid) return presentLint({ ...staticCheck, jobs: [] });
      const simulated = await this.simulate(tx, caller, project, content, refName);
      if (simulated.errors.length) return presentLint({ ...staticCheck, valid: false, errors: simulated.errors, jobs: [] });
      return presentLint({ ...staticCheck, jobs: simulated.jobs.map(presentDryRunJob) });
    });
  }

  private async simulate(tx: EntityManager, caller: Caller, project: Project, content: string, refName: string) {
    let plan: PipelinePlan;
    try {
      const level = await this.access.levelOnProject(caller.user, project, tx);
      const { ref, refProtected } = await this.creation.authorizeRef(tx, caller, project, refName, level);
      plan = {
        ref: ref.name,
        sourceRef: ref.name,
        tag: ref.refType === 'tag',
        sha: ref.sha,
        refProtected,
        configProjectId: project.id,
        source: 'push',
        mergeRequestId: null,
        variables: [],
      };
    } catch (error) {
      // The chain's refusals (a ref not found, one the caller may not run a pipeline for) are the dry run's errors.
      if (error instanceof PipelineError && error.code === 'PIPELINE_NOT_CREATED') return { errors: error.facts.reasons, jobs: [] };
      throw error;
    }
    const planned = await this.planner.plan(tx, caller, project, plan, content);
    if (planned.kind === 'invalid') return { errors: planned.errors, jobs: [] };
    if (planned.kind === 'empty') return { errors: ['No stages / jobs for this pipeline.'], jobs: [] };
    return { errors: planned.selection.errors, jobs: planned.selection.jobs };
  }

  private async lintAt(project: Project, content: string, origin: CiConfigOrigin, includeJobs: boolean) {
    return presentLint(await this.checked(this.db.manager, project, content, origin, includeJobs));
  }

  private async checked(db: EntityManager, project: Project, content: string, origin: CiConfigOrigin, includeJobs: boolean) {
    const { config, errors, settings, claimRules } = await this.check(db, project, content, origin);
    const valid = errors.length === 0;
    return {
      valid,
      errors,
      warnings: [...config.warnings, ...mintingWarnings(config.jobs, settings), ...jobClaimWarnings(claimRules, config.jobs)],
      mergedYaml: config.mergedYaml,
      includes: valid ? config.includes.map((file) => presentInclude(file, this.appConfig.externalUrl)) : [],
      // GitLab lists no job of an invalid config.
      ...(includeJobs ? { jobs: valid ? config.jobs.map(presentStaticJob) : [] } : {}),
    };
  }

  private origin(caller: Caller, project: Project, sha: string, refName: string): CiConfigOrigin {
    return { user: caller.user, projectId: project.id, sha, refName, pipelineSource: 'push' };
  }

  /**
   * The parsed config and its errors, the project's rules included (also what the token preview refuses). Its
   * includes are read from `origin`, as `origin.user` may read them.
   */
  async check(db: EntityManager, project: Project, content: string, origin: CiConfigOrigin): Promise<LintCheck> {
    const settings = await this.ciSettings.forProject(db, project.id);
    const config = await this.ciConfigSource.parse(db, content, origin, ciConfigOptions(settings.optInJwt));
    const claimRules = await this.customClaims.projectRules(
      db,
      project,
      config.jobs.flatMap((job) => (job.jwtClaims ? [job.jwtClaims] : [])),
    );
    const errors = [
      ...config.errors,
      // Errors of the project's rules make the config invalid, as GitLab's lint reports any error.
      ...(await this.audienceSecrets.errorsFor(db, project, config.jobs)),
      ...jobClaimErrors(claimRules, config.jobs, claimRules.namespaceIds),
    ];
    return { config, errors, settings, claimRules };
  }

  async lintAtRef(caller: Caller, project: Project, query: LintRefQuery) {
    const revision = query.content_ref ?? query.sha ?? query.ref ?? project.defaultBranch;
    const file = revision ? await this.repository.readFile(this.db.manager, project.id, revision, CI_CONFIG_PATH) : null;
    if (!file) throw new LintError('CI_CONFIG_NOT_FOUND');
    // GitLab's `dry_run_ref`: the ref the simulated pipeline is for, the default branch unless given.
    if (query.dry_run) return this.dryRun(caller, project, file.content.toString('utf8'), query.dry_run_ref);
    const origin = this.origin(caller, project, file.commitSha, query.ref ?? project.defaultBranch ?? revision ?? '');
    return this.lintAt(project, file.content.toString('utf8'), origin, query.include_jobs === true);
  }
}

/**
 * Jobs that need a token but will fail to get one under the settings in force (a `sub` component list stored before
 * a rule, e.g. led by a namespace). A warning, not an error: the YAML is valid and a pipeline is created from it;
 * it is the project's setting that fails those jobs, and lint is where a maintainer looks before running one.
 */
function mintingWarnings(jobs: readonly JobDefinition[], settings: EffectiveCiSettings): string[] {
  const problem = subClaimMintingProblem(settings.subClaimComponents);
  if (!problem) return [];
  // With opt_in_jwt off every job gets the legacy CI_JOB_JWT_V2, whose sub uses the same components.
  return jobs
    .filter((job) => !settings.optInJwt || Object.keys(job.idTokens).length > 0)
    .map(
      (job) =>
        `jobs:${job.name} will fail with id_token_sub_components_invalid: ${problem}; fix ci_id_token_sub_claim_components of the project or its group`,
    );
}
