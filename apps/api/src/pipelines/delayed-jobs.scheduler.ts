import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock';
import { retriedTransaction } from '../database/lock-conflicts';
import { startPeriodicTurns } from '../clock/periodic-turns';
import { PipelineProgressService } from './pipeline-progress.service';

/** One replica at a time starts due jobs: the others skip their turn rather than wait. */
const DELAYED_JOBS_LOCK = 7_413_016;
const POLL_INTERVAL_MS = 5_000;
/** Due jobs started per turn; the rest wait for the next one. */
const BATCH = 500;

/**
 * Starts `when: delayed` jobs once their `scheduled_at` has come (GitLab's `Ci::BuildScheduleWorker` and
 * `Ci::RunScheduledBuildService`), by the injected clock, polling every few seconds.
 */
@Injectable()
export class DelayedJobsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopTurns?: () => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stopTurns = startPeriodicTurns(POLL_INTERVAL_MS, () => this.startDue());
  }

  onApplicationShutdown(): void {
    this.stopTurns?.();
  }

  /**
   * Starts the jobs due by now, pipeline by pipeline, each in its own transaction (as a runner's update would move
   * it on, so none holds two pipelines' locks). Each takes the turn's advisory lock: while another replica holds it,
   * this one stops and leaves the rest to it. Answers how many jobs it started or failed.
   */
  async startDue(): Promise<number> {
    const now = this.clock.now();
    const due: { id: string; pipeline_id: string; project_id: string }[] = await this.db.query(
      `SELECT id, pipeline_id, project_id FROM ci_builds WHERE status = 'scheduled' AND scheduled_at <= $1 ORDER BY scheduled_at, id LIMIT $2`,
      [now, BATCH],
    );
    const byPipeline = new Map<string, { projectId: number; ids: number[] }>();
    for (const row of due) {
      const entry = byPipeline.get(row.pipeline_id) ?? { projectId: Number(row.project_id), ids: [] };
      entry.ids.push(Number(row.id));
      byPipeline.set(row.pipeline_id, entry);
    }
    let started = 0;
    for (const [pipelineId, { projectId, ids }] of byPipeline) {
      const count = await retriedTransaction(this.db, async (tx) => {
        const [{ locked }]: { locked: boolean }[] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DELAYED_JOBS_LOCK]);
        if (!locked) return null;
        await this.progress.lockPipeline(tx, Number(pipelineId));
        // Read again under the pipeline's lock: a job played or canceled meanwhile is left alone.
        const still: { id: string }[] = await tx.query(`SELECT id FROM ci_builds WHERE id = ANY($1) AND status = 'scheduled'`, [ids]);
        const stillIds = still.map((row) => Number(row.id));
        await this.progress.start(tx, projectId, stillIds, now);
        await this.progress.advance(tx, Number(pipelineId));
        return stillIds.length;
      });
      if (count === null) break;
      started += count;
    }
    return started;
  }
}
