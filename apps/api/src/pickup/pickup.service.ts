import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type JobSnapshot, decidePickup } from '@lanyard/pickup';
import { type RunnerPayload, type ServerFailureReason, buildRunnerPayload } from '@lanyard/pipelines';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG } from '../config/config.module';
import { retryingLockConflicts } from '../database/lock-conflicts';
import type { AppConfig } from '../config/app-config';
import { IdTokenService } from '../id-tokens/id-token.service';
import { MetricsService } from '../metrics/metrics.service';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';
import { PipelineProgressService } from '../pipelines/pipeline-progress.service';
import type { Runner } from '../runners/runner.entity';
import { RunnersService } from '../runners/runners.service';
import { assignJob } from './assign.statement';
import { type SqlSession, inPickupTransaction } from './pickup-session';
import { claimSnapshot } from './snapshot-loader';

/** Jobs that cannot run (no Vault server for their secrets, …) are failed and skipped over, up to this many per request. */
const MAX_DROPPED_PER_REQUEST = 10;

type Pickup =
  | { readonly kind: 'none' }
  | { readonly kind: 'dropped'; readonly reason: ServerFailureReason }
  | { readonly kind: 'job'; readonly payload: RunnerPayload };

/**
 * `POST /jobs/request`: one pending job the runner may run, in one transaction: claim it with its snapshot (one
 * statement), decide (`decidePickup`, pure), sign its tokens, write the assignment (one statement). A job is never
 * left running without its runner: if anything fails, the transaction rolls back and the job stays queued.
 */
@Injectable()
export class PickupService {
  private readonly logger = new Logger('Pickup');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runners: RunnersService,
    private readonly idTokens: IdTokenService,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  async request(runnerToken: string): Promise<RunnerPayload | null> {
    const runner = await this.runners.poll(runnerToken);
    for (let attempt = 0; attempt < MAX_DROPPED_PER_REQUEST; attempt++) {
      // A pickup waits for the pipeline last (see lock-conflicts.ts); one PostgreSQL aborted in a cycle anyway starts over.
      const pickup = await retryingLockConflicts(() =>
        inPickupTransaction(this.db, (session, manager) => this.pickUp(session, manager, runner, runnerToken)),
      );
      this.metrics.pickedUp(pickup);
      if (pickup.kind === 'none') return null;
      if (pickup.kind === 'job') return pickup.payload;
    }
    return null;
  }

  private async pickUp(session: SqlSession, manager: EntityManager, runner: Runner, runnerToken: string): Promise<Pickup> {
    const startedAt = this.clock.now();
    const claimed = await claimSnapshot(session, runner, this.idTokens.signerKidToLock(), startedAt);
    if (!claimed) return { kind: 'none' };
    const { snapshot } = claimed;
    const jobToken = generateSecretToken('glcbt');
    const decision = decidePickup(snapshot, {
      now: startedAt,
      serverUrl: this.config.externalUrl,
      issuer: this.config.idTokenIssuerUrl,
      ciConfigPath: CI_CONFIG_PATH,
      jobToken,
      runnerToken,
      newJti: randomUUID,
    });
    if (decision.kind === 'drop') return this.drop(manager, snapshot, decision.reason, decision.detail, startedAt);
    const signed = await this.metrics.timeSigning(decision.plan.tokens.length, () =>
      this.idTokens.sign(manager, decision.plan.tokens, claimed.lockedSignerKid),
    );
    if (!signed.ok) return this.drop(manager, snapshot, signed.reason, signed.detail, startedAt);
    await assignJob(session, {
      buildId: snapshot.build.id,
      projectId: snapshot.project.id,
      runnerId: runner.id,
      tokenDigest: digestToken(jobToken),
      startedAt,
      timeoutSeconds: decision.timeoutSeconds,
      issued: signed.issued,
    });
    const payload = buildRunnerPayload({
      context: decision.context,
      idTokenVariables: this.idTokens.toVariables(signed.issued),
      scopedVariables: decision.scopedVariables,
      secrets: snapshot.metadata.secrets,
      spec: decision.spec,
    });
    return { kind: 'job', payload };
  }

  /** The job fails with `reason` and no token; its pipeline moves on, as for any failed job. */
  private async drop(tx: EntityManager, snapshot: JobSnapshot, reason: ServerFailureReason, detail: string, at: Date): Promise<Pickup> {
    this.logger.warn({ msg: 'job dropped at pickup', jobId: snapshot.build.id, failureReason: reason, detail });
    await tx.query(`UPDATE ci_builds SET status = 'failed', failure_reason = $2, finished_at = $3 WHERE id = $1`, [
      snapshot.build.id,
      reason,
      at,
    ]);
    await this.progress.jobDropped(tx, snapshot.build.id, snapshot.pipeline.id);
    return { kind: 'dropped', reason };
  }
}
