import { Inject, Injectable } from '@nestjs/common';
import {
  JobContext,
  RunnerPayloadResult,
  assembleScopedVariables,
  buildRunnerPayload,
  lastValues,
  toRunnerVariable,
} from '@lanyard/pipelines';
import { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { environmentSlug } from '../environments/environment-rules';
import { IdTokenService } from '../id-tokens/id-token.service';
import type { Runner } from '../runners/runner.entity';
import { CiVariablesService } from '../variables/variables.service';
import { Build } from './build.entity';
import { JobRecord, JobRecordLoader } from './job-record';

/** Everything a runner needs for one job, read and minted inside the transaction that assigns it. */
@Injectable()
export class JobPayloadService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: JobRecordLoader,
    private readonly variables: CiVariablesService,
    private readonly idTokens: IdTokenService,
  ) {}

  async build(tx: EntityManager, build: Build, runner: Runner, jobToken: string, startedAt: Date): Promise<RunnerPayloadResult> {
    const record = await this.records.load(tx, build, runner);
    if (record.environment && !record.environment.deployAllowed) return { ok: false, failureReason: 'protected_environment_failure' };
    const context = this.jobContext(record, jobToken, startedAt);
    const ciVariables = await this.variables.variablesFor(tx, record.project, {
      protectedRef: build.protected,
      environment: record.environment?.record.name ?? null,
    });
    const scopedVariables = assembleScopedVariables({
      context,
      ciVariables: ciVariables.map((variable) =>
        toRunnerVariable({ key: variable.key, value: variable.value, masked: variable.masked, file: variable.variableType === 'file', raw: variable.raw }),
      ),
      yamlVariables: record.metadata.variables,
      pipelineVariables: record.pipeline.variables.map((variable) =>
        toRunnerVariable({ key: variable.key, value: variable.value, file: variable.variable_type === 'file' }),
      ),
    });
    const minted = await this.idTokens.mintForJob(tx, record, lastValues(scopedVariables), startedAt);
    if (!minted.ok) return minted;
    return buildRunnerPayload({ context, idTokenVariables: minted.variables, scopedVariables, secrets: record.metadata.secrets });
  }

  private jobContext(record: JobRecord, jobToken: string, startedAt: Date): JobContext {
    const { build, metadata, pipeline, project, namespace, rootNamespace, user, runner, environment } = record;
    return {
      serverUrl: this.config.externalUrl,
      job: {
        id: build.id,
        name: build.name,
        stage: build.stage,
        token: jobToken,
        timeoutSeconds: build.timeout,
        script: metadata.script,
        startedAt: startedAt.toISOString(),
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
        fullPath: `${record.namespaceFullPath}/${project.path}`,
        namespaceId: namespace.id,
        namespaceFullPath: record.namespaceFullPath,
        rootNamespaceId: rootNamespace.id,
        rootNamespacePath: rootNamespace.path,
        visibility: project.visibility,
        defaultBranch: project.defaultBranch,
      },
      user: user ? { id: user.id, username: user.username, email: user.email, name: user.name } : null,
      runner: { id: runner.id, description: runner.description },
      environment: environment
        ? {
            name: environment.record.name,
            slug: environmentSlug(environment.record.name),
            tier: environment.definition.deploymentTier ?? environment.record.tier,
            action: environment.definition.action,
          }
        : null,
    };
  }
}
