import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock';
import { retriedTransaction } from '../database/lock-conflicts';
import { Project } from '../entities/project.entity';
import { lockResourceGroups, releaseResourceGroup } from '../queue/resource-groups';
import { PipelineError } from './pipeline-errors';
import { PipelineProgressService } from './pipeline-progress.service';

/**
 * `DELETE /projects/:id/pipelines/:pipeline_id` (GitLab's `Ci::DestroyPipelineService`). The foreign keys cascade: its
 * jobs go with it, and with them their metadata, needs, variables, queue entries and logs, so the jobs' tokens match no
 * job any more. The audit of the ID tokens they minted stays, marked superseded: those tokens are valid until they
 * expire. Owners only, as GitLab's `destroy_pipeline`: the controller's guard decides.
 */
@Injectable()
export class PipelineRemovalService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  remove(project: Project, pipelineId: number): Promise<void> {
    return retriedTransaction(this.db, async (tx) => {
      if (!Number.isSafeInteger(pipelineId) || pipelineId <= 0) throw new PipelineError('PIPELINE_NOT_FOUND');
      await this.lockRunnersRows(tx, project.id, pipelineId);
      const pipeline = await this.progress.lockPipeline(tx, pipelineId);
      if (!pipeline || pipeline.projectId !== project.id) throw new PipelineError('PIPELINE_NOT_FOUND');
      // Before the cascade takes its waiting jobs: a job finishing elsewhere takes the groups, then the job waiting here.
      await lockResourceGroups(tx, project.id);
      const now = this.clock.now();
      const groups: { resource_group_id: string }[] = await tx.query(
        'SELECT DISTINCT resource_group_id FROM ci_builds WHERE pipeline_id = $1 AND resource_group_id IS NOT NULL',
        [pipeline.id],
      );
      await tx.query(
        `UPDATE ci_id_token_issuances SET superseded_at = $2, superseded_reason = 'deleted'
          WHERE build_id IN (SELECT id FROM ci_builds WHERE pipeline_id = $1) AND superseded_at IS NULL`,
        [pipeline.id, now],
      );
      await tx.query('DELETE FROM ci_pipelines WHERE id = $1', [pipeline.id]);
      // A group one of its jobs held is free now: the oldest job waiting for it in another pipeline takes it, as GitLab's
      // cancel of the running jobs before the destroy would give it (a group still held elsewhere is left alone).
      for (const row of groups) await releaseResourceGroup(tx, project.id, Number(row.resource_group_id), now);
    });
  }

  /**
   * The rows the cascade will delete that runners hold, taken first as a pickup and `PUT /jobs/:id` take them (queue
   * rows, then pending and running jobs by id; see lock-conflicts.ts): a pickup or update under way finishes first,
   * instead of waiting for the pipeline this holds while this waits for its job.
   */
  private async lockRunnersRows(tx: EntityManager, projectId: number, pipelineId: number): Promise<void> {
    await tx.query(
      `SELECT q.build_id FROM ci_pending_builds q JOIN ci_builds b ON b.id = q.build_id
        WHERE b.pipeline_id = $1 AND b.project_id = $2 ORDER BY q.build_id FOR UPDATE OF q`,
      [pipelineId, projectId],
    );
    await tx.query(
      `SELECT id FROM ci_builds WHERE pipeline_id = $1 AND project_id = $2 AND status IN ('pending', 'running') ORDER BY id FOR UPDATE`,
      [pipelineId, projectId],
    );
  }
}
