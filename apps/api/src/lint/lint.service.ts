import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CiConfigResult, CiConfigWithIncludes, IncludedFile, JobDefinition } from '@lanyard/ci-config';
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
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { LintRefQuery } from './dto/lint.dto';
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
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  /** Content posted: its includes resolve at `ref` (the default branch unless given), as GitLab's lint. */
  async lintContent(caller: Caller, project: Project, content: string, ref?: string) {
    const refName = ref ?? project.defaultBranch ?? '';
    const resolved = refName ? await this.repository.resolveRevision(this.db.manager, project.id, refName) : null;
    return this.lintAt(project, content, this.origin(caller, project, resolved?.sha ?? '', refName));
  }

  private async lintAt(project: Project, content: string, origin: CiConfigOrigin) {
    const { config, errors, settings, claimRules } = await this.check(this.db.manager, project, content, origin);
    const valid = errors.length === 0;
    return presentLint(
      {
        ...config,
        valid,
        errors,
        warnings: [...config.warnings, ...mintingWarnings(config.jobs, settings), ...jobClaimWarnings(claimRules, config.jobs)],
      },
      valid ? config.includes.map((file) => presentInclude(file, this.appConfig.externalUrl)) : [],
    );
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
    const origin = this.origin(caller, project, file.commitSha, query.ref ?? project.defaultBranch ?? revision ?? '');
    return this.lintAt(project, file.content.toString('utf8'), origin);
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

function presentLint(result: CiConfigResult, includes: object[]) {
  return {
    valid: result.valid,
    errors: result.errors,
    warnings: result.warnings,
    merged_yaml: result.mergedYaml,
    includes,
    jobs: result.jobs.map(presentJob),
  };
}

/** GitLab's `File::Base#metadata`, with the blob and raw URLs of the file where it was read. */
function presentInclude(file: IncludedFile, externalUrl: string) {
  const at = `${externalUrl}/${file.project}/-/%s/${file.sha}/${file.location}`;
  return {
    type: file.type,
    location: file.location,
    blob: at.replace('%s', 'blob'),
    raw: at.replace('%s', 'raw'),
    extra: file.extra,
    context_project: file.contextProject,
    context_sha: file.contextSha,
  };
}

function presentJob(job: JobDefinition) {
  return {
    name: job.name,
    stage: job.stage,
    script: job.script,
    environment: job.environment?.name ?? null,
    timeout: job.timeoutSeconds,
    id_tokens: Object.keys(job.idTokens),
    secrets: Object.keys(job.secrets),
    when: job.when,
    allow_failure: job.allowFailure,
  };
}
