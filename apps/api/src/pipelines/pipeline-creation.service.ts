import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobDefinition, parseCiConfig } from '@lanyard/ci-config';
import { AccessLevel, mayOverridePipelineVariables } from '@lanyard/access';
import { pipelinePermissionError } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { BuildMetadata } from '../builds/build-metadata.entity';
import { Build } from '../builds/build.entity';
import { CiSettingsService } from '../ci-settings/ci-settings.service';
import { CustomClaimsService } from '../custom-claims/custom-claims.service';
import { jobClaimErrors } from '../custom-claims/job-claim-errors';
import { EnvironmentsService } from '../environments/environments.service';
import { AudienceSecretsService } from '../id-tokens/audience-secrets.service';
import { Project } from '../projects/project.entity';
import { RepositoryService, ResolvedRef } from '../repository/repository.service';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { EnvironmentNames, JobEnvironment } from './environment-names';
import { jobMetadataOf } from './job-metadata';
import { pipelineNotCreated } from './pipeline-errors';
import { Pipeline, PipelineSource } from './pipeline.entity';
import { PipelineProgressService } from './pipeline-progress.service';

export const CI_CONFIG_PATH = '.gitlab-ci.yml';

/** Commit → pipeline: reads and checks `.gitlab-ci.yml` at the ref, then stores the pipeline and its jobs at once. */
@Injectable()
export class PipelineCreationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RepositoryService,
    private readonly ciSettings: CiSettingsService,
    private readonly environments: EnvironmentsService,
    private readonly access: AccessService,
    private readonly progress: PipelineProgressService,
    private readonly audienceSecrets: AudienceSecretsService,
    private readonly customClaims: CustomClaimsService,
  ) {}

  create(caller: Caller, project: Project, dto: CreatePipelineDto, source: PipelineSource): Promise<Pipeline> {
    return this.db.transaction(async (tx) => {
      const level = await this.access.levelOnProject(caller.user, project, tx);
      // GitLab checks this first (`Chain::Build`); it guards every way a user passes variables into a pipeline.
      if (dto.variables?.length && !mayOverridePipelineVariables(project.pipelineVariablesMinimumOverrideRole, level)) {
        throw pipelineNotCreated('Insufficient permissions to set pipeline variables');
      }
      const ref = await this.repository.resolveRef(tx, project.id, dto.ref);
      if (!ref) throw pipelineNotCreated('Reference not found');
      const refProtected = await this.assertMayRunFor(tx, caller, level, ref, project.id);
      const file = await this.repository.readFile(tx, project.id, ref.sha, CI_CONFIG_PATH);
      if (!file) throw pipelineNotCreated('Missing CI config file');
      const config = parseCiConfig(file.content.toString('utf8'), { optInJwt: (await this.ciSettings.forProject(tx, project.id)).optInJwt });
      if (!config.valid) throw pipelineNotCreated(...config.errors);
      const audienceErrors = await this.audienceSecrets.errorsFor(tx, project, config.jobs);
      if (audienceErrors.length) throw pipelineNotCreated(...audienceErrors);
      const claimErrors = jobClaimErrors(await this.customClaims.projectLevels(tx, project), config.jobs);
      if (claimErrors.length) throw pipelineNotCreated(...claimErrors);
      if (config.jobs.length === 0) throw pipelineNotCreated('No stages / jobs for this pipeline.');

      const pipeline = await tx.getRepository(Pipeline).save(
        tx.getRepository(Pipeline).create({
          projectId: project.id,
          ref: ref.name,
          tag: ref.refType === 'tag',
          sha: ref.sha,
          source,
          userId: caller.user.id,
          status: 'created',
          variables: (dto.variables ?? []).map((v) => ({ key: v.key, value: v.value, variable_type: v.variable_type ?? 'env_var' })),
          yamlErrors: null,
          startedAt: null,
          finishedAt: null,
        }),
      );
      const environments = new EnvironmentNames(tx, this.config.externalUrl, project, pipeline, refProtected, caller.user);
      for (const job of config.jobs) {
        await this.insertBuild(tx, project, pipeline, job, config.stages.indexOf(job.stage), refProtected, await environments.of(job));
      }
      await this.progress.advance(tx, pipeline.id);
      return tx.getRepository(Pipeline).findOneByOrFail({ id: pipeline.id });
    });
  }

  /** A job whose environment name expands to an invalid one is created failed, as GitLab's `Chain::EnsureEnvironments`. */
  private async insertBuild(
    tx: EntityManager,
    project: Project,
    pipeline: Pipeline,
    job: JobDefinition,
    stageIdx: number,
    refProtected: boolean,
    environment: JobEnvironment | null,
  ) {
    const refused = environment !== null && !environment.valid;
    const build = await tx.getRepository(Build).save(
      tx.getRepository(Build).create({
        pipelineId: pipeline.id,
        projectId: project.id,
        name: job.name,
        stage: job.stage,
        stageIdx,
        status: refused ? 'failed' : 'created',
        userId: pipeline.userId,
        runnerId: null,
        tokenDigest: null,
        failureReason: refused ? 'environment_creation_failure' : null,
        timeout: job.timeoutSeconds ?? project.buildTimeout,
        protected: refProtected,
        queuedAt: null,
        startedAt: null,
        finishedAt: refused ? new Date() : null,
      }),
    );
    await tx.getRepository(BuildMetadata).insert({ buildId: build.id, ...jobMetadataOf(job, environment) });
    if (environment?.valid) await this.environments.ensure(tx, project.id, environment.definition.name, environment.tier);
  }

  /** Developers run pipelines; on a protected ref only those who may push to it or merge into it (GitLab). */
  private async assertMayRunFor(tx: EntityManager, caller: Caller, level: AccessLevel, ref: ResolvedRef, projectId: number): Promise<boolean> {
    const protection = await this.repository.protection(tx, projectId, ref.refType);
    const actor = { level, admin: caller.user.admin };
    const refused = pipelinePermissionError({
      mayCreatePipeline: actor.admin || level >= AccessLevel.Developer,
      mayWriteRef: protection.allowsPipeline(ref.name, actor),
      ref: ref.name,
    });
    if (refused) throw pipelineNotCreated(refused);
    return protection.isProtected(ref.name);
  }
}
