import { Controller, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { Project } from '../entities/project.entity';
import { JobControlService } from './job-control.service';
import { PipelinesService } from './pipelines.service';

/** What users do to a pipeline's jobs (GitLab's `update_pipeline`); the service checks the role and the ref. */
@Controller('projects/:id/pipelines/:pipeline_id')
export class PipelineActionsController {
  constructor(
    private readonly control: JobControlService,
    private readonly pipelines: PipelinesService,
  ) {}

  /** GitLab answers `200` here (and `201` to a retry). */
  @Post('cancel')
  @HttpCode(200)
  @RequireProjectAccess(AccessLevel.Reporter)
  async cancel(@Caller() caller: CallerType, @CurrentProject() project: Project, @Param('pipeline_id', ParseIntPipe) pipelineId: number) {
    await this.control.cancelPipeline(caller, project, pipelineId);
    return this.pipelines.show(project, pipelineId);
  }

  @Post('retry')
  @RequireProjectAccess(AccessLevel.Reporter)
  async retry(@Caller() caller: CallerType, @CurrentProject() project: Project, @Param('pipeline_id', ParseIntPipe) pipelineId: number) {
    await this.control.retryPipeline(caller, project, pipelineId);
    return this.pipelines.show(project, pipelineId);
  }
}
