import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock';
import { PG_DEADLOCK_DETECTED, sqlStateOf } from '../database/pg-errors';
import { Project } from '../entities/project.entity';
import { releaseResourceGroup } from '../queue/resource-groups';
import { PipelineError } from './pipeline-errors';
import { PipelineProgressService } from './pipeline-progress.service';

/** Attempts at a deletion that PostgreSQL aborted to break a lock cycle with a runner's pickup. */
const ATTEMPTS = 3;

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

  async remove(project: Project, pipelineId: number): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.removeOnce(project, pipelineId);
      } catch (error) {
        // A pickup locks a job, then its pipeline; job updates lock the pipeline first, as this does. When a pickup of
        // one of its jobs runs at the same moment, PostgreSQL aborts one of the two: the deletion tries again.
        if (attempt === ATTEMPTS || sqlStateOf(error) !== PG_DEADLOCK_DETECTED) throw error;
      }
    }
  }

  private removeOnce(project: Project, pipelineId: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      const pipeline = Number.isSafeInteger(pipelineId) && pipelineId > 0 ? await this.progress.lockPipeline(tx, pipelineId) : undefined;
      if (!pipeline || pipeline.projectId !== project.id) throw new PipelineError('PIPELINE_NOT_FOUND');
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
}
