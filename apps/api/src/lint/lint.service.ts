import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CiConfigResult, JobDefinition, parseCiConfig } from '@lanyard/ci-config';
import { subClaimMintingProblem } from '@lanyard/id-tokens';
import { DataSource, EntityManager } from 'typeorm';
import { CiSettingsService } from '../ci-settings/ci-settings.service';
import type { EffectiveCiSettings } from '@lanyard/id-tokens';
import { CustomClaimsService, type ProjectClaimRules } from '../custom-claims/custom-claims.service';
import { jobClaimErrors, jobClaimWarnings } from '../custom-claims/job-claim-errors';
import { AudienceSecretsService } from '../id-tokens/audience-secrets.service';
import { ciConfigOptions } from '../pipelines/ci-config-options';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { LintRefQuery } from './dto/lint.dto';
import { LintError } from './lint-errors';

export interface LintCheck {
  readonly config: CiConfigResult;
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
  ) {}

  async lintContent(project: Project, content: string) {
    const { config, errors, settings, claimRules } = await this.check(this.db.manager, project, content);
    return presentLint({
      ...config,
      valid: errors.length === 0,
      errors,
      warnings: [...config.warnings, ...mintingWarnings(config.jobs, settings), ...jobClaimWarnings(claimRules, config.jobs)],
    });
  }

  /** The parsed config and its errors, the project's rules included (also what the token preview refuses). */
  async check(db: EntityManager, project: Project, content: string): Promise<LintCheck> {
    const settings = await this.ciSettings.forProject(db, project.id);
    const config = parseCiConfig(content, ciConfigOptions(settings.optInJwt));
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

  async lintAtRef(project: Project, query: LintRefQuery) {
    const revision = query.content_ref ?? query.sha ?? query.ref ?? project.defaultBranch;
    const file = revision ? await this.repository.readFile(this.db.manager, project.id, revision, CI_CONFIG_PATH) : null;
    if (!file) throw new LintError('CI_CONFIG_NOT_FOUND');
    return this.lintContent(project, file.content.toString('utf8'));
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

function presentLint(result: CiConfigResult) {
  return {
    valid: result.valid,
    errors: result.errors,
    warnings: result.warnings,
    merged_yaml: result.mergedYaml,
    includes: [],
    jobs: result.jobs.map(presentJob),
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
