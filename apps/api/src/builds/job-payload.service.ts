import { Inject, Injectable } from '@nestjs/common';
import { jobContextOf, protectedRefAccessRevoked } from '@lanyard/pickup';
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

import { IdTokenService, IssuedTokens, TokenPlan } from '../id-tokens/id-token.service';
import type { CiVariable } from '../variables/ci-variable.entity';
import { resolveJobVariables } from '../variables/variables.service';
import type { JobRecord } from './job-record';

/** A job the runner gets, with the tokens to audit once it is assigned; or the reason to drop it. */
export type JobPickup =
  | {
      readonly ok: true;
      readonly payload: RunnerPayload;
      readonly record: JobRecord;
      readonly issued: IssuedTokens;
      readonly timeoutSeconds: number;
    }
  | JobRefused;

/** `detail` says what is wrong in a sentence (never a secret): logged, and answered by the token preview. */
export type JobRefused = { readonly ok: false; readonly failureReason: ServerFailureReason; readonly detail: string };

/** What a run of a job starts with: its job token, the token of the runner taking it (none in a preview), when. */
export interface JobStart {
  readonly jobToken: string;
  readonly runnerToken: string | null;
  readonly startedAt: Date;
}

/** Everything decided about a job before anything is signed: its variables, its timeout and its tokens' claims. */
export type JobDecision =
  | {
      readonly ok: true;
      readonly context: JobContext;
      readonly scopedVariables: RunnerVariable[];
      readonly timeoutSeconds: number;
      readonly plan: TokenPlan;
      /** Values no claim should carry: masked variables, the job and runner tokens. */
      readonly secretValues: readonly string[];
    }
  | JobRefused;

const PICKUP_FAILURE_DETAILS: Partial<Record<ServerFailureReason, string>> = {
  user_blocked: "the job's user is blocked",
  protected_ref_access_revoked: "the job's user may no longer push to or merge into its protected ref",
  protected_environment_failure: "the job's user may not deploy to its protected environment",
  secrets_provider_not_found: 'the job has secrets but no VAULT_SERVER_URL variable',
};

/**
 * Everything a runner needs for one job, inside the transaction that assigns it: load, decide every reason to drop
 * the job, and only then sign its tokens, so a dropped job never had a token. The token preview runs the same
 * `decide` on a job not created yet.
 */
@Injectable()
export class JobPayloadService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly idTokens: IdTokenService,
  ) {}

  async build(tx: EntityManager, record: JobRecord, runnerToken: string, jobToken: string, startedAt: Date): Promise<JobPickup> {
    const decided = this.decide(record, { jobToken, runnerToken, startedAt });
    if (!decided.ok) return decided;

    // Sign, only for a job that will run.
    const signed = await this.idTokens.sign(tx, record, decided.plan);
    if (!signed.ok) return signed;
    const idTokenVariables = this.idTokens.toVariables(signed.issued);
    const { context, scopedVariables, timeoutSeconds } = decided;
    const payload = buildRunnerPayload({ context, idTokenVariables, scopedVariables, secrets: record.metadata.secrets });
    return { ok: true, record, issued: signed.issued, payload, timeoutSeconds };
  }

  /** The timeout, every reason to drop the job, then its tokens' claims: nothing signed, nothing written. */
  decide(record: JobRecord, start: JobStart): JobDecision {
    const ciVariables = resolveJobVariables(record.ciVariables, record.project, record.namespace, {
      protectedRef: record.build.protected,
      environment: record.environment?.record.name ?? null,
    });
    const timeout = decideJobTimeout({
      jobTimeout: record.metadata.jobTimeout,
      projectTimeout: record.project.buildTimeout,
      runnerMaximumTimeout: record.runner?.maximumTimeout ?? null,
    });
    const context = jobContextOf(record, {
      serverUrl: this.config.externalUrl,
      jobToken: start.jobToken,
      startedAt: start.startedAt,
      timeoutSeconds: timeout.seconds,
    });
    const scopedVariables = this.scopedVariables(record, ciVariables, context);
    const failureReason = pickupFailure({
      userState: record.user?.state ?? null,
      projectDeleted: record.sourceProjectDeleted,
      protectedRefRevoked: protectedRefAccessRevoked(record),
      deployRefused: record.environment !== null && !record.environment.deployAllowed,
      hasSecrets: Object.keys(record.metadata.secrets).length > 0,
      variables: lastValues(scopedVariables),
    });
    if (failureReason) return { ok: false, failureReason, detail: PICKUP_FAILURE_DETAILS[failureReason] ?? failureReason };
    const secretValues = [
      ...scopedVariables.filter((variable) => variable.masked).map((variable) => variable.value),
      ...(start.runnerToken ? [start.runnerToken] : []),
    ];
    const planned = this.idTokens.plan(record, {
      // As GitLab: `aud` is expanded against the job's variables once they are expanded among themselves.
      variables: lastValues(expandVariableCollection(scopedVariables).variables),
      secretValues,
      at: start.startedAt,
      ttl: timeout.seconds,
    });
    if (!planned.ok) return planned;
    return { ok: true, context, scopedVariables, timeoutSeconds: timeout.seconds, plan: planned, secretValues };
  }

  private scopedVariables(record: JobRecord, ciVariables: readonly CiVariable[], context: JobContext): RunnerVariable[] {
    return assembleScopedVariables({
      context,
      ciVariables: ciVariables.map((variable) =>
        toRunnerVariable({
          key: variable.key,
          value: variable.value,
          masked: variable.masked,
          file: variable.variableType === 'file',
          raw: variable.raw,
        }),
      ),
      yamlVariables: record.metadata.variables,
      pipelineVariables: record.pipeline.variables.map((variable) =>
        toRunnerVariable({ key: variable.key, value: variable.value, file: variable.variable_type === 'file' }),
      ),
    });
  }
}
