import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { Project } from '../entities/project.entity';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { JobScopeQuery } from './dto/job-scope.query';
import { ListPipelinesQuery } from './dto/list-pipelines.query';
import { PipelineJobsQuery } from './dto/pipeline-jobs.query';
import { PipelinesService } from './pipelines.service';

@Controller('projects/:id')
export class PipelinesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @Post('pipeline')
  @RequireProjectAccess(AccessLevel.Developer)
  create(@Caller() caller: CallerType, @CurrentProject() project: Project, @Body() dto: CreatePipelineDto) {
    return this.pipelines.create(caller, project, dto);
  }

  @Get('pipelines')
  @RequireProjectAccess(AccessLevel.Reporter)
  list(@CurrentProject() project: Project, @Query() query: ListPipelinesQuery) {
    return this.pipelines.list(project, query);
  }

  @Get('pipelines/:pipeline_id')
  @RequireProjectAccess(AccessLevel.Reporter)
  show(@CurrentProject() project: Project, @Param('pipeline_id', ParseIntPipe) pipelineId: number) {
    return this.pipelines.show(project, pipelineId);
  }

  @Get('pipelines/:pipeline_id/jobs')
  @RequireProjectAccess(AccessLevel.Reporter)
  jobs(@CurrentProject() project: Project, @Param('pipeline_id', ParseIntPipe) pipelineId: number, @Query() page: PipelineJobsQuery) {
    return this.pipelines.jobs(project, pipelineId, page);
  }

  @Get('jobs')
  @RequireProjectAccess(AccessLevel.Reporter)
  projectJobs(@CurrentProject() project: Project, @Query() page: JobScopeQuery) {
    return this.pipelines.projectJobs(project, page);
  }

  @Get('jobs/:job_id')
  @RequireProjectAccess(AccessLevel.Reporter)
  job(@CurrentProject() project: Project, @Param('job_id', ParseIntPipe) jobId: number) {
    return this.pipelines.job(project, jobId);
  }
}
