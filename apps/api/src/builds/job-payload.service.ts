import { Inject, Injectable } from '@nestjs/common';
import {
  JobContext,
  RunnerPayload,
  RunnerVariable,
  ServerFailureReason,
  assembleScopedVariables,
  buildRunnerPayload,
  decideJobTimeout,
  expandVariableCollection,
  lastValues,
  pickupFailure,
  toRunnerVariable,
} from '@lanyard/pipelines';
import { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { environmentSlug } from '../environments/environment-rules';
import { IdTokenService, IssuedTokens } from '../id-tokens/id-token.service';
import type { Runner } from '../runners/runner.entity';
import type { CiVariable } from '../variables/ci-variable.entity';
import { CiVariablesService } from '../variables/variables.service';
import { Build } from './build.entity';
import { JobRecord, JobRecordLoader } from './job-record';

/** A job the runner gets, with the tokens to audit once it is assigned; or the reason to drop it. */
export type JobPickup =
  | { readonly ok: true; readonly payload: RunnerPayload; readonly record: JobRecord; readonly issued: IssuedTokens; readonly timeoutSeconds: number }
  | { readonly ok: false; readonly failureReason: ServerFailureReason };

/**
 * Everything a runner needs for one job, inside the transaction that assigns it: load, decide every reason to drop
 * the job, and only then sign its tokens, so a dropped job never had a token.
 */
@Injectable()
export class JobPayloadService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: JobRecordLoader,
    private readonly variables: CiVariablesService,
    private readonly idTokens: IdTokenService,
  ) {}

  async build(tx: EntityManager, build: Build, runner: Runner, runnerToken: string, jobToken: string, startedAt: Date): Promise<JobPickup> {
    const record = await this.records.load(tx, build, runner);
    const ciVariables = await this.variables.variablesFor(tx, record.project, {
      protectedRef: build.protected,
      environment: record.environment?.record.name ?? null,
    });

    // Decide, before anything is signed: the timeout, then every reason to drop the job.
    const timeout = decideJobTimeout({
      jobTimeout: record.metadata.jobTimeout,
      projectTimeout: record.project.buildTimeout,
      runnerMaximumTimeout: runner.maximumTimeout,
    });
    const context = this.jobContext(record, jobToken, startedAt, timeout.seconds);
    const scopedVariables = this.scopedVariables(record, ciVariables, context);
    const failureReason = pickupFailure({
      userState: record.user?.state ?? null,
      deployRefused: record.environment !== null && !record.environment.deployAllowed,
      hasSecrets: Object.keys(record.metadata.secrets).length > 0,
      variables: lastValues(scopedVariables),
    });
    if (failureReason) return { ok: false, failureReason };
    const planned = await this.idTokens.plan(tx, record, {
      // As GitLab: `aud` is expanded against the job's variables once they are expanded among themselves.
      variables: lastValues(expandVariableCollection(scopedVariables).variables),
      secretValues: [...scopedVariables.filter((variable) => variable.masked).map((variable) => variable.value), runnerToken],
      at: startedAt,
      ttl: timeout.seconds,
    });
    if (!planned.ok) return planned;

    // Sign, only for a job that will run.
    const signed = await this.idTokens.sign(tx, record, planned.tokens);
    if (!signed.ok) return signed;
    const idTokenVariables = this.idTokens.toVariables(signed.issued);
    const payload = buildRunnerPayload({ context, idTokenVariables, scopedVariables, secrets: record.metadata.secrets });
    return { ok: true, record, issued: signed.issued, payload, timeoutSeconds: timeout.seconds };
  }

  private scopedVariables(record: JobRecord, ciVariables: readonly CiVariable[], context: JobContext): RunnerVariable[] {
    return assembleScopedVariables({
      context,
      ciVariables: ciVariables.map((variable) =>
        toRunnerVariable({ key: variable.key, value: variable.value, masked: variable.masked, file: variable.variableType === 'file', raw: variable.raw }),
      ),
      yamlVariables: record.metadata.variables,
      pipelineVariables: record.pipeline.variables.map((variable) =>
        toRunnerVariable({ key: variable.key, value: variable.value, file: variable.variable_type === 'file' }),
      ),
    });
  }

  private jobContext(record: JobRecord, jobToken: string, startedAt: Date, timeoutSeconds: number): JobContext {
    const { build, metadata, pipeline, project, namespace, rootNamespace, user, runner, environment } = record;
    return {
      serverUrl: this.config.externalUrl,
      job: {
        id: build.id,
        name: build.name,
        stage: build.stage,
        token: jobToken,
        timeoutSeconds,
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
