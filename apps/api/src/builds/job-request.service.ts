import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RunnerPayload } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { IdTokenService } from '../id-tokens/id-token.service';
import { PipelineProgressService } from '../pipelines/pipeline-progress.service';
import type { Runner } from '../runners/runner.entity';
import { RunnersService } from '../runners/runners.service';
import { Build } from './build.entity';
import { JobPayloadService } from './job-payload.service';
import { JobRecordLoader } from './job-record';
import { assignJob } from './job-assignment';

/** Jobs that cannot run (no Vault server for their secrets, …) are failed and skipped over, up to this many per request. */
const MAX_DROPPED_PER_REQUEST = 10;

type Pickup = { readonly kind: 'none' } | { readonly kind: 'dropped' } | { readonly kind: 'job'; readonly payload: RunnerPayload };

/**
 * `POST /jobs/request`: one pending job the runner may run, assigned in one transaction with everything the runner
 * receives, so a job is never left running without its runner: if anything fails, the job stays pending.
 */
@Injectable()
export class JobRequestService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly runners: RunnersService,
    private readonly records: JobRecordLoader,
    private readonly payloads: JobPayloadService,
    private readonly idTokens: IdTokenService,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async request(runnerToken: string): Promise<RunnerPayload | null> {
    const runner = await this.runners.poll(runnerToken);
    for (let attempt = 0; attempt < MAX_DROPPED_PER_REQUEST; attempt++) {
      const pickup = await this.db.transaction((tx) => this.pickUp(tx, runner, runnerToken));
      if (pickup.kind === 'none') return null;
      if (pickup.kind === 'job') return pickup.payload;
    }
    return null;
  }

  private async pickUp(tx: EntityManager, runner: Runner, runnerToken: string): Promise<Pickup> {
    const record = await this.records.claim(tx, runner, this.idTokens.signerKidToLock());
    if (!record) return { kind: 'none' };
    const { build } = record;
    const jobToken = generateSecretToken('glcbt');
    const startedAt = this.clock.now();
    const pickup = await this.payloads.build(tx, record, runnerToken, jobToken, startedAt);
    if (!pickup.ok) {
      await tx.getRepository(Build).update(build.id, { status: 'failed', failureReason: pickup.failureReason, finishedAt: startedAt });
      await this.progress.advance(tx, build.pipelineId);
      return { kind: 'dropped' };
    }
    await assignJob(tx, {
      buildId: build.id,
      projectId: build.projectId,
      runnerId: runner.id,
      tokenDigest: digestToken(jobToken),
      startedAt,
      timeoutSeconds: pickup.timeoutSeconds,
      issued: pickup.issued,
    });
    return { kind: 'job', payload: pickup.payload };
  }
}
