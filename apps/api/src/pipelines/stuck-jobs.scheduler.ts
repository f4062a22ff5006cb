import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { STUCK_JOB_LIMITS, stuckJobCutoffs } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock';
import { retriedTransaction } from '../database/lock-conflicts';
import { Build } from './build.entity';
import { startPeriodicTurns } from '../clock/periodic-turns';
import { PipelineProgressService } from './pipeline-progress.service';

/** One replica at a time fails stuck jobs: the others skip their turn rather than wait. */
export const STUCK_JOBS_LOCK = 7_413_017;
const POLL_INTERVAL_MS = 60_000;
/** Stuck jobs failed per turn; the rest wait for the next one. */
const BATCH = 500;
/** A replica whose clock is further than this from the database's fails nothing on its own (see `turn`). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The stuck jobs among `$1` (an array of ids, or null for all) of the projects `$7` (null: every project), as of `$2`: running past their timeout plus the
 * grace with no report from their runner (a log append, a `PUT /jobs/:id`) within the grace; pending for a day; or pending for an hour
 * with no online runner that could take them (the claim's own rules: scope, tags, untagged, active).
 */
const STUCK_JOBS = `
  (SELECT b.id, b.pipeline_id, b.status FROM ci_builds b
    WHERE b.status = 'running' AND ($1::bigint[] IS NULL OR b.id = ANY($1)) AND ($7::bigint[] IS NULL OR b.project_id = ANY($7))
      AND b.started_at + make_interval(secs => coalesce(b.timeout, ${STUCK_JOB_LIMITS.defaultTimeoutSeconds}) + ${STUCK_JOB_LIMITS.runningGraceSeconds}) <= $2
      AND (b.reported_at IS NULL OR b.reported_at <= $3)
      AND NOT EXISTS (SELECT 1 FROM ci_job_traces t WHERE t.build_id = b.id AND t.updated_at > $3)
    ORDER BY b.started_at LIMIT ${BATCH})
  UNION
  (SELECT b.id, b.pipeline_id, b.status FROM ci_builds b
    WHERE b.status = 'pending' AND ($1::bigint[] IS NULL OR b.id = ANY($1)) AND ($7::bigint[] IS NULL OR b.project_id = ANY($7))
      AND coalesce(b.queued_at, b.created_at) <= $5
      AND (coalesce(b.queued_at, b.created_at) <= $4 OR NOT EXISTS (
            SELECT 1 FROM ci_pending_builds q JOIN ci_runners r
                ON r.active AND r.contacted_at > $6
               AND (r.runner_type = 'instance_type' OR (r.runner_type = 'project_type' AND r.project_id = q.project_id)
                    OR (r.runner_type = 'group_type' AND r.namespace_id = ANY(q.namespace_traversal_ids)))
               AND q.tag_list <@ r.tag_list AND (cardinality(q.tag_list) > 0 OR r.run_untagged)
             WHERE q.build_id = b.id))
    ORDER BY coalesce(b.queued_at, b.created_at) LIMIT ${BATCH})`;

interface StuckRow {
  id: string;
  pipeline_id: string;
  status: 'running' | 'pending';
}

/**
 * Nothing stays `running` or `pending` forever (GitLab's `StuckCiJobsWorker`): a job its runner stopped reporting on,
 * or that no runner can take, fails with `stuck_or_timeout_failure`, by the injected clock. Its job token is refused
 * from then on (only a running job's is taken), its queue row goes, and its pipeline moves on (retry included).
 */
@Injectable()
export class StuckJobsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('StuckJobs');
  private stopTurns?: () => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stopTurns = startPeriodicTurns(POLL_INTERVAL_MS, () => this.turn());
  }

  onApplicationShutdown(): void {
    this.stopTurns?.();
  }

  /**
   * A periodic turn. Every replica measures time by its own clock against times other replicas wrote: one whose
   * clock ran hours ahead would fail every job in the database. So a replica out of step with the database's clock
   * by more than a few minutes leaves the work to the others, and says so.
   */
  async turn(): Promise<void> {
    const [{ now }]: { now: Date }[] = await this.db.query('SELECT now() AS now');
    const skew = Math.abs(this.clock.now().getTime() - now.getTime());
    if (skew > MAX_CLOCK_SKEW_MS) {
      this.logger.warn({ msg: "stuck jobs not checked: this replica's clock is off from the database's", skewMs: skew });
      return;
    }
    await this.dropStuck();
  }

  /**
   * Fails the jobs stuck by now (of `projectIds` only, when given: a run limited to some projects), pipeline by pipeline, each in its own transaction under the turn's advisory lock:
   * while another replica holds it, this one stops and leaves the rest to it. Answers how many jobs it failed.
   */
  async dropStuck(projectIds: readonly number[] | null = null): Promise<number> {
    const now = this.clock.now();
    const stuck: StuckRow[] = await this.db.query(STUCK_JOBS, [null, ...this.parameters(now), projectIds]);
    const byPipeline = new Map<string, number[]>();
    for (const row of stuck) byPipeline.set(row.pipeline_id, [...(byPipeline.get(row.pipeline_id) ?? []), Number(row.id)]);
    let dropped = 0;
    for (const ids of byPipeline.values()) {
      const count = await retriedTransaction(this.db, async (tx) => {
        const [{ locked }]: { locked: boolean }[] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [STUCK_JOBS_LOCK]);
        return locked ? this.drop(tx, ids, now) : null;
      });
      if (count === null) break;
      dropped += count;
    }
    return dropped;
  }

  private parameters(now: Date): Date[] {
    const cutoffs = stuckJobCutoffs(now);
    return [now, cutoffs.lastReportBefore, cutoffs.pendingOutdatedBefore, cutoffs.pendingStuckBefore, cutoffs.runnersOnlineSince];
  }

  /**
   * Asks again, then takes each job as a runner's final update would: its row first, its pipeline after (the order
   * `PUT /jobs/:id` locks them in). A pending job leaves the queue only if no runner is claiming it this moment (SKIP
   * LOCKED); a job that changed meanwhile (picked up, finished) no longer matches its status and is left alone.
   */
  private async drop(tx: EntityManager, ids: number[], now: Date): Promise<number> {
    const still: StuckRow[] = await tx.query(STUCK_JOBS, [ids, ...this.parameters(now), null]);
    const running = still.filter((row) => row.status === 'running').map((row) => Number(row.id));
    const pending = still.filter((row) => row.status === 'pending').map((row) => Number(row.id));
    const [dequeued]: [{ build_id: string }[], number] = await tx.query(
      `DELETE FROM ci_pending_builds WHERE build_id IN (SELECT build_id FROM ci_pending_builds WHERE build_id = ANY($1) FOR UPDATE SKIP LOCKED)
       RETURNING build_id`,
      [pending],
    );
    // A pending job with no queue row (none should exist) no runner can take either.
    const queued: { build_id: string }[] = await tx.query('SELECT build_id FROM ci_pending_builds WHERE build_id = ANY($1)', [pending]);
    const takeable = pending.filter(
      (id) => !queued.some((row) => Number(row.build_id) === id) || dequeued.some((row) => Number(row.build_id) === id),
    );
    const [failed]: [{ id: string }[], number] = await tx.query(
      `UPDATE ci_builds SET status = 'failed', failure_reason = 'stuck_or_timeout_failure', finished_at = $3
        WHERE (id = ANY($1) AND status = 'running') OR (id = ANY($2) AND status = 'pending')
        RETURNING id`,
      [running, takeable, now],
    );
    for (const { id } of failed) {
      const build = await tx.getRepository(Build).findOneByOrFail({ id: Number(id) });
      this.logger.warn({ msg: 'stuck job failed', jobId: build.id, runnerId: build.runnerId, failureReason: 'stuck_or_timeout_failure' });
      await this.progress.jobFinished(tx, build);
    }
    return failed.length;
  }
}
