import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CiConfigResult, JobDefinition, parseCiConfig } from '@lanyard/ci-config';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CiSettingsService } from '../ci-settings/ci-settings.service';
import { CustomClaimsService } from '../custom-claims/custom-claims.service';
import { jobClaimErrors } from '../custom-claims/job-claim-errors';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { Project } from '../projects/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { LintRefQuery } from './dto/lint.dto';

/** `POST/GET /projects/:id/ci/lint`: the same checks a pipeline's creation runs, under the project's settings. */
@Injectable()
export class LintService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ciSettings: CiSettingsService,
    private readonly repository: RepositoryService,
    private readonly customClaims: CustomClaimsService,
  ) {}

  async lintContent(project: Project, content: string) {
    const result = parseCiConfig(content, { optInJwt: (await this.ciSettings.forProject(this.db.manager, project.id)).optInJwt });
    return presentLint(withClaimErrors(result, jobClaimErrors(await this.customClaims.projectLevels(this.db.manager, project), result.jobs)));
  }

  async lintAtRef(project: Project, query: LintRefQuery) {
    const revision = query.content_ref ?? query.sha ?? query.ref ?? project.defaultBranch;
    const file = revision ? await this.repository.readFile(this.db.manager, project.id, revision, CI_CONFIG_PATH) : null;
    if (!file) throw ApiError.notFound('CI config file');
    return this.lintContent(project, file.content.toString('utf8'));
  }
}

/** Custom-claim errors make the config invalid, as GitLab's lint reports any error. */
function withClaimErrors(result: CiConfigResult, claimErrors: string[]): CiConfigResult {
  return claimErrors.length ? { ...result, valid: false, errors: [...result.errors, ...claimErrors] } : result;
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
    when: 'on_success',
    allow_failure: false,
  };
}
