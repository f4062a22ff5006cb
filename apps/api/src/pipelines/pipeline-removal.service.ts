import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Project } from '../entities/project.entity';
import { PipelineError } from './pipeline-errors';
import { PipelineProgressService } from './pipeline-progress.service';

/**
 * `DELETE /projects/:id/pipelines/:pipeline_id` (GitLab's `Ci::DestroyPipelineService`). The foreign keys cascade: its
 * jobs go with it, and with them their metadata, needs, variables, queue entries, logs and ID-token issuances, so the
 * jobs' tokens match no job any more. Owners only, as GitLab's `destroy_pipeline`: the controller's guard decides.
 */
@Injectable()
export class PipelineRemovalService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly progress: PipelineProgressService,
  ) {}

  remove(project: Project, pipelineId: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      // Locked first, as job updates and pipeline progress lock it: a job finishing meanwhile waits, then finds nothing.
      const pipeline = Number.isSafeInteger(pipelineId) && pipelineId > 0 ? await this.progress.lockPipeline(tx, pipelineId) : undefined;
      if (!pipeline || pipeline.projectId !== project.id) throw new PipelineError('PIPELINE_NOT_FOUND');
      await tx.query('DELETE FROM ci_pipelines WHERE id = $1', [pipeline.id]);
    });
  }
}
