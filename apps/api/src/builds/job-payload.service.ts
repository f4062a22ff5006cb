import { Inject, Injectable } from '@nestjs/common';
import { JobContext, RunnerPayloadResult, assembleScopedVariables, buildRunnerPayload, guessDeploymentTier, toRunnerVariable } from '@lanyard/pipelines';
import { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { environmentSlug } from '../environments/environment-rules';
import { EnvironmentsService } from '../environments/environments.service';
import { Namespace } from '../namespaces/namespace.entity';
import { loadNamespacePaths } from '../namespaces/namespace-paths';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Project } from '../projects/project.entity';
import type { Runner } from '../runners/runner.entity';
import { User } from '../users/user.entity';
import { CiVariablesService } from '../variables/variables.service';
import { BuildMetadata } from './build-metadata.entity';
import { Build } from './build.entity';

/** Everything a runner needs for one job, read inside the transaction that assigns it. */
@Injectable()
export class JobPayloadService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly variables: CiVariablesService,
    private readonly environments: EnvironmentsService,
  ) {}

  async build(tx: EntityManager, build: Build, runner: Runner, jobToken: string, startedAt: Date): Promise<RunnerPayloadResult> {
    const metadata = await tx.getRepository(BuildMetadata).findOneByOrFail({ buildId: build.id });
    const pipeline = await tx.getRepository(Pipeline).findOneByOrFail({ id: build.pipelineId });
    const project = await tx.getRepository(Project).findOneByOrFail({ id: build.projectId });
    const context = await this.jobContext(tx, { build, metadata, pipeline, project, runner, jobToken, startedAt });
    const ciVariables = await this.variables.variablesFor(tx, project, {
      protectedRef: build.protected,
      environment: metadata.environment?.name ?? null,
    });
    const scopedVariables = assembleScopedVariables({
      context,
      ciVariables: ciVariables.map((variable) =>
        toRunnerVariable({ key: variable.key, value: variable.value, masked: variable.masked, file: variable.variableType === 'file', raw: variable.raw }),
      ),
      yamlVariables: metadata.variables,
      pipelineVariables: pipeline.variables.map((variable) =>
        toRunnerVariable({ key: variable.key, value: variable.value, file: variable.variable_type === 'file' }),
      ),
    });
    return buildRunnerPayload({
      context,
      // The job's ID tokens are minted here, in this transaction, and go first (next issue).
      idTokenVariables: [],
      scopedVariables,
      secrets: metadata.secrets,
    });
  }

  private async jobContext(
    tx: EntityManager,
    job: { build: Build; metadata: BuildMetadata; pipeline: Pipeline; project: Project; runner: Runner; jobToken: string; startedAt: Date },
  ): Promise<JobContext> {
    const { build, metadata, pipeline, project, runner } = job;
    const namespace = await tx.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
    const root = namespace.traversalIds[0] === namespace.id ? namespace : await tx.getRepository(Namespace).findOneByOrFail({ id: namespace.traversalIds[0] });
    const namespacePath = (await loadNamespacePaths(tx, [namespace])).get(namespace.id)!.fullPath;
    const user = build.userId === null ? null : await tx.getRepository(User).findOneBy({ id: build.userId });
    const definition = metadata.environment;
    // Created with the pipeline; ensured again in case it was deleted while the job waited.
    const environment = definition
      ? await this.environments.ensure(tx, project.id, definition.name, definition.deploymentTier ?? guessDeploymentTier(definition.name))
      : null;
    return {
      serverUrl: this.config.externalUrl,
      job: {
        id: build.id,
        name: build.name,
        stage: build.stage,
        token: job.jobToken,
        timeoutSeconds: build.timeout,
        script: metadata.script,
        startedAt: job.startedAt.toISOString(),
      },
      pipeline: {
        id: pipeline.id,
        source: pipeline.source,
        createdAt: pipeline.createdAt.toISOString(),
        sha: pipeline.sha,
        ref: pipeline.ref,
        refType: pipeline.tag ? 'tag' : 'branch',
        refProtected: build.protected,
      },
      project: {
        id: project.id,
        name: project.name,
        path: project.path,
        fullPath: `${namespacePath}/${project.path}`,
        namespaceId: namespace.id,
        namespaceFullPath: namespacePath,
        rootNamespaceId: root.id,
        rootNamespacePath: root.path,
        visibility: project.visibility,
        defaultBranch: project.defaultBranch,
      },
      user: user ? { id: user.id, username: user.username, email: user.email, name: user.name } : null,
      runner: { id: runner.id, description: runner.description },
      environment:
        definition && environment
          ? { name: environment.name, slug: environmentSlug(environment.name), tier: definition.deploymentTier ?? environment.tier, action: definition.action }
          : null,
    };
  }
}
