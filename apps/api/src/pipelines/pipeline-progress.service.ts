import { Injectable } from '@nestjs/common';
import { advancePipeline, isFinished } from '@lanyard/pipelines';
import { EntityManager, In } from 'typeorm';
import { Build } from '../builds/build.entity';
import { Pipeline } from './pipeline.entity';

/** Moves a pipeline on after its jobs change: starts the next stage, skips what a failure stopped, sets its status. */
@Injectable()
export class PipelineProgressService {
  async advance(tx: EntityManager, pipelineId: number): Promise<void> {
    // Serializes concurrent finishes of one pipeline's jobs: each sees the others' committed statuses.
    const [pipeline] = await tx.getRepository(Pipeline).find({ where: { id: pipelineId }, lock: { mode: 'pessimistic_write' } });
    const builds = await tx.getRepository(Build).find({ where: { pipelineId }, select: { id: true, stageIdx: true, status: true } });
    const { pipelineStatus, toPending, toSkipped } = advancePipeline(builds);
    if (toPending.length) await tx.getRepository(Build).update({ id: In(toPending) }, { status: 'pending', queuedAt: () => 'now()' });
    if (toSkipped.length) await tx.getRepository(Build).update({ id: In(toSkipped) }, { status: 'skipped' });
    if (pipelineStatus === pipeline.status) return;
    await tx.getRepository(Pipeline).update(pipelineId, {
      status: pipelineStatus,
      ...(pipelineStatus === 'running' && !pipeline.startedAt ? { startedAt: () => 'now()' } : {}),
      ...(isFinished(pipelineStatus as Build['status']) ? { finishedAt: () => 'now()' } : {}),
    });
  }

  /** A runner took one of the pipeline's jobs: it is running (no lock needed, the update is idempotent). */
  async markRunning(tx: EntityManager, pipelineId: number): Promise<void> {
    await tx.query(
      `UPDATE ci_pipelines SET status = 'running', started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('created', 'pending')`,
      [pipelineId],
    );
  }
}
