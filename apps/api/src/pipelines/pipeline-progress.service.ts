import { Inject, Injectable, Logger } from '@nestjs/common';
import { BuildStatus, StagedBuild, advancePipeline, isFinished } from '@lanyard/pipelines';
import { EntityManager, In } from 'typeorm';
import { Build } from './build.entity';
import { CLOCK, type Clock } from '../clock/clock';
import { DeployAccessService } from '../environments/deploy-access.service';
import { User } from '../entities/user.entity';
import { Pipeline } from './pipeline.entity';
import { retryIfAllowed } from './job-retries';
import { releaseResourceGroup, startBuilds } from '../queue/resource-groups';

/**
 * Moves a pipeline on after its jobs change (GitLab's atomic processing through `@lanyard/pipelines`' advancePipeline):
 * starts what may start (queued, or waiting for its resource group), sets manual jobs waiting to be played and
 * delayed ones scheduled, skips what will never run, and sets the pipeline's status.
 */
@Injectable()
export class PipelineProgressService {
  private readonly logger = new Logger('PipelineProgress');

  constructor(
    private readonly deployAccess: DeployAccessService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The pipeline, locked: serializes concurrent changes of one pipeline's jobs, each seeing the others' statuses. */
  async lockPipeline(tx: EntityManager, pipelineId: number): Promise<Pipeline> {
    const [pipeline] = await tx.getRepository(Pipeline).find({ where: { id: pipelineId }, lock: { mode: 'pessimistic_write' } });
    return pipeline;
  }

  async advance(tx: EntityManager, pipelineId: number): Promise<void> {
    const now = this.clock.now();
    const pipeline = await this.lockPipeline(tx, pipelineId);
    let builds = await this.stagedBuilds(tx, pipelineId);
    for (;;) {
      const { pipelineStatus, toPending, toSkipped, toManual, toScheduled } = advancePipeline(builds);
      if (!toPending.length && !toSkipped.length && !toManual.length && !toScheduled.length) {
        return this.setStatus(tx, pipeline, pipelineStatus, now);
      }
      // A refused deploy fails instead of starting; the next round decides what its failure means for the others.
      const refused = await this.start(tx, pipeline.projectId, toPending, now);
      const repository = tx.getRepository(Build);
      if (toSkipped.length) await repository.update({ id: In(toSkipped) }, { status: 'skipped' });
      if (toManual.length) await repository.update({ id: In(toManual) }, { status: 'manual' });
      if (toScheduled.length) {
        await tx.query(
          `UPDATE ci_builds SET status = 'scheduled', scheduled_at = $2::timestamptz + make_interval(secs => start_in) WHERE id = ANY($1)`,
          [toScheduled, now],
        );
      }
      const changed = new Map<number, BuildStatus>([
        ...toPending.map((id): [number, BuildStatus] => [id, 'pending']),
        ...toSkipped.map((id): [number, BuildStatus] => [id, 'skipped']),
        ...toManual.map((id): [number, BuildStatus] => [id, 'manual']),
        ...toScheduled.map((id): [number, BuildStatus] => [id, 'scheduled']),
        ...refused.map((id): [number, BuildStatus] => [id, 'failed']),
      ]);
      builds = builds.map((build) => ({ ...build, status: changed.get(build.id) ?? build.status }));
    }
  }

  /**
   * After a runner finished a job (its row already updated and locked): its resource group goes to the next job
   * waiting for it, a failure `retry:` allows is retried as a new job, then the pipeline moves on.
   */
  async jobFinished(tx: EntityManager, build: Build): Promise<void> {
    const now = this.clock.now();
    await this.lockPipeline(tx, build.pipelineId);
    if (build.resourceGroupId !== null) await releaseResourceGroup(tx, build.projectId, build.resourceGroupId, now);
    await retryIfAllowed(tx, build, now);
    await this.advance(tx, build.pipelineId);
  }

  /**
   * After Lanyard failed a queued job itself (at pickup): its resource group goes to the next job waiting for it and
   * the pipeline moves on. Not retried: `retry:` is about how a job ran, and this one never ran.
   */
  async jobDropped(tx: EntityManager, buildId: number, pipelineId: number): Promise<void> {
    await this.lockPipeline(tx, pipelineId);
    const [row]: { project_id: string; resource_group_id: string | null }[] = await tx.query(
      'SELECT project_id, resource_group_id FROM ci_builds WHERE id = $1',
      [buildId],
    );
    if (row.resource_group_id !== null) {
      await releaseResourceGroup(tx, Number(row.project_id), Number(row.resource_group_id), this.clock.now());
    }
    await this.advance(tx, pipelineId);
  }

  /**
   * Starts jobs whose turn came (decided by progression, played, or due): GitLab's `EE::Ci::ProcessBuildService#enqueue`
   * fails a job whose user may not deploy to its protected environment instead of queuing it. Returns those failed.
   */
  async start(tx: EntityManager, projectId: number, buildIds: readonly number[], now: Date): Promise<number[]> {
    const refusedEnvironments = await this.refusedDeploys(tx, projectId, buildIds);
    const refused = [...refusedEnvironments.keys()];
    // An operator sees why a job never reached a runner, as for a job dropped at pickup (issue 18 item 17).
    for (const [jobId, environment] of refusedEnvironments) {
      this.logger.warn({ msg: 'job dropped when queued', jobId, failureReason: 'protected_environment_failure', environment });
    }
    if (refused.length) {
      await tx
        .getRepository(Build)
        .update({ id: In(refused) }, { status: 'failed', failureReason: 'protected_environment_failure', finishedAt: now });
    }
    await startBuilds(
      tx,
      projectId,
      buildIds.filter((id) => !refused.includes(id)),
      now,
    );
    return refused;
  }

  /** The pipeline's latest jobs (a retried one gave way to its copy), as progression sees them. */
  private async stagedBuilds(tx: EntityManager, pipelineId: number): Promise<StagedBuild[]> {
    const rows: {
      id: string;
      name: string;
      stage_idx: number;
      status: BuildStatus;
      when: StagedBuild['when'];
      allow_failure: boolean;
      needs: string[] | null;
      scheduling_type: 'stage' | 'dag';
    }[] = await tx.query(
      `SELECT b.id, b.name, b.stage_idx, b.status, b.when, b.allow_failure, b.scheduling_type,
              (SELECT array_agg(n.name ORDER BY n.id) FROM ci_build_needs n WHERE n.build_id = b.id) AS needs
         FROM ci_builds b WHERE b.pipeline_id = $1 AND NOT b.retried ORDER BY b.id`,
      [pipelineId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      name: row.name,
      stageIdx: row.stage_idx,
      status: row.status,
      when: row.when,
      allowFailure: row.allow_failure,
      // GitLab's `scheduling_type`: `needs: []` (start at once) has no rows but is not "wait for the stages".
      needs: row.scheduling_type === 'dag' ? (row.needs ?? []) : null,
    }));
  }

  private async setStatus(tx: EntityManager, pipeline: Pipeline, status: Pipeline['status'], now: Date): Promise<void> {
    if (status === pipeline.status) return;
    await tx.getRepository(Pipeline).update(pipeline.id, {
      status,
      ...(status === 'running' && !pipeline.startedAt ? { startedAt: now } : {}),
      ...(isFinished(status as BuildStatus) ? { finishedAt: now } : {}),
    });
    pipeline.status = status;
  }

  /** Of the jobs about to be queued, those deploying to an environment their user (who may have played it) may not deploy to. */
  /** The jobs whose user may not deploy to their protected environment, with that environment's name. */
  private async refusedDeploys(tx: EntityManager, projectId: number, buildIds: readonly number[]): Promise<Map<number, string>> {
    if (!buildIds.length) return new Map();
    const rows: { build_id: string; name: string; user_id: string | null }[] = await tx.query(
      `SELECT m.build_id, m.environment->>'name' AS name, b.user_id
         FROM ci_builds_metadata m JOIN ci_builds b ON b.id = m.build_id
        WHERE m.build_id = ANY($1) AND m.environment IS NOT NULL`,
      [buildIds],
    );
    if (!rows.length) return new Map();
    const [project] = await tx.query(
      `SELECT p.id, n.traversal_ids FROM projects p JOIN namespaces n ON n.id = p.namespace_id WHERE p.id = $1`,
      [projectId],
    );
    const refused = new Map<number, string>();
    for (const userId of new Set(rows.map((row) => row.user_id))) {
      const user = userId === null ? null : await tx.getRepository(User).findOneBy({ id: Number(userId) });
      const names = new Map(rows.filter((row) => row.user_id === userId).map((row) => [Number(row.build_id), row.name]));
      const ids = await this.deployAccess.refused(tx, { projectId, namespaceTraversalIds: project.traversal_ids }, user, names);
      for (const id of ids) refused.set(id, names.get(id)!);
    }
    return refused;
  }
}
