import { Body, Controller, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { Project } from '../entities/project.entity';
import { PlayJobDto } from './dto/play-job.dto';
import { JobControlService } from './job-control.service';
import { JobPlayService } from './job-play.service';
import { PipelinesService } from './pipelines.service';

/** What users do to a job. Reading jobs is enough to reach it (GitLab's `read_build`); the action checks the rest. */
@Controller('projects/:id/jobs/:job_id')
export class JobActionsController {
  constructor(
    private readonly plays: JobPlayService,
    private readonly control: JobControlService,
    private readonly pipelines: PipelinesService,
  ) {}

  @Post('play')
  @HttpCode(200)
  @RequireProjectAccess(AccessLevel.Reporter)
  async play(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @Param('job_id', ParseIntPipe) jobId: number,
    @Body() dto: PlayJobDto,
  ) {
    const id = await this.plays.play(caller, project, jobId, dto.job_variables_attributes ?? []);
    return this.pipelines.job(project, id);
  }

  @Post('cancel')
  @RequireProjectAccess(AccessLevel.Reporter)
  async cancel(@Caller() caller: CallerType, @CurrentProject() project: Project, @Param('job_id', ParseIntPipe) jobId: number) {
    return this.pipelines.job(project, await this.control.cancelJob(caller, project, jobId));
  }

  /** Answers the new job, as GitLab does. */
  @Post('retry')
  @RequireProjectAccess(AccessLevel.Reporter)
  async retry(@Caller() caller: CallerType, @CurrentProject() project: Project, @Param('job_id', ParseIntPipe) jobId: number) {
    return this.pipelines.job(project, await this.control.retryJob(caller, project, jobId));
  }

  @Post('erase')
  @RequireProjectAccess(AccessLevel.Reporter)
  async erase(@Caller() caller: CallerType, @CurrentProject() project: Project, @Param('job_id', ParseIntPipe) jobId: number) {
    return this.pipelines.job(project, await this.control.eraseJob(caller, project, jobId));
  }
}
