import { Inject, Injectable } from '@nestjs/common';
import { StagedBuild, advancePipeline, isFinished } from '@lanyard/pipelines';
import { EntityManager, In } from 'typeorm';
import { Build } from './build.entity';
import { enqueueBuilds } from '../queue/pending-builds';
import { CLOCK, type Clock } from '../clock/clock';
import { DeployAccessService } from '../environments/deploy-access.service';
import { User } from '../entities/user.entity';
import { Pipeline } from './pipeline.entity';

/** Moves a pipeline on after its jobs change: starts the next stage, skips what a failure stopped, sets its status. */
@Injectable()
export class PipelineProgressService {
  constructor(
    private readonly deployAccess: DeployAccessService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async advance(tx: EntityManager, pipelineId: number): Promise<void> {
    // Serializes concurrent finishes of one pipeline's jobs: each sees the others' committed statuses.
    const now = this.clock.now();
    const [pipeline] = await tx.getRepository(Pipeline).find({ where: { id: pipelineId }, lock: { mode: 'pessimistic_write' } });
    const builds = await tx.getRepository(Build).find({ where: { pipelineId }, select: { id: true, stageIdx: true, status: true } });
    let { pipelineStatus, toPending, toSkipped } = advancePipeline(builds);
    const refused = await this.refusedDeploys(tx, pipeline, toPending);
    if (refused.length) {
      // GitLab's `EE::Ci::ProcessBuildService#enqueue`: a job whose user may not deploy is failed instead of queued;
      // the rest of its stage is queued, and the failure then stops the later stages.
      toPending = toPending.filter((id) => !refused.includes(id));
      await tx
        .getRepository(Build)
        .update({ id: In(refused) }, { status: 'failed', failureReason: 'protected_environment_failure', finishedAt: now });
      const settled = builds.map((build): StagedBuild => ({
        ...build,
        status: refused.includes(build.id) ? 'failed' : toPending.includes(build.id) ? 'pending' : build.status,
      }));
      ({ pipelineStatus, toSkipped } = advancePipeline(settled));
    }
    await enqueueBuilds(tx, pipeline.projectId, toPending, now);
    if (toSkipped.length) await tx.getRepository(Build).update({ id: In(toSkipped) }, { status: 'skipped' });
    if (pipelineStatus === pipeline.status) return;
    await tx.getRepository(Pipeline).update(pipelineId, {
      status: pipelineStatus,
      ...(pipelineStatus === 'running' && !pipeline.startedAt ? { startedAt: now } : {}),
      ...(isFinished(pipelineStatus as Build['status']) ? { finishedAt: now } : {}),
    });
  }

  /** Of the jobs about to be queued, those deploying to an environment their user may not deploy to. */
  private async refusedDeploys(tx: EntityManager, pipeline: Pipeline, buildIds: readonly number[]): Promise<number[]> {
    if (!buildIds.length) return [];
    const rows: { build_id: string; name: string }[] = await tx.query(
      `SELECT build_id, environment->>'name' AS name FROM ci_builds_metadata WHERE build_id = ANY($1) AND environment IS NOT NULL`,
      [buildIds],
    );
    if (!rows.length) return [];
    const [project] = await tx.query(
      `SELECT p.id, n.traversal_ids FROM projects p JOIN namespaces n ON n.id = p.namespace_id WHERE p.id = $1`,
      [pipeline.projectId],
    );
    const user = pipeline.userId === null ? null : await tx.getRepository(User).findOneBy({ id: pipeline.userId });
    const names = new Map(rows.map((row) => [Number(row.build_id), row.name]));
    return this.deployAccess.refused(tx, { projectId: pipeline.projectId, namespaceTraversalIds: project.traversal_ids }, user, names);
  }
}
