import { Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Patch, Res } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { Project } from '../entities/project.entity';
import { DocumentTraceAppend, JobToken, RawBody } from './job-log.decorators';
import { JobLogsService } from './job-logs.service';

@Controller()
export class JobLogsController {
  constructor(private readonly logs: JobLogsService) {}

  /** The runner appends to its job's log (gitlab-runner `PatchTrace`); GitLab's answer is in the headers. */
  @Patch('jobs/:id/trace')
  @Public()
  @HttpCode(202)
  @DocumentTraceAppend()
  async append(
    @Param('id', ParseIntPipe) id: number,
    @JobToken() token: string,
    @Headers('content-range') contentRange: string | undefined,
    @RawBody() body: Buffer,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    response.set({ ...(await this.logs.append(id, token, contentRange, body)) });
  }

  @Get('projects/:id/jobs/:job_id/trace')
  @RequireProjectAccess(AccessLevel.Reporter)
  read(@CurrentProject() project: Project, @Param('job_id', ParseIntPipe) jobId: number) {
    return this.logs.read(project, jobId);
  }
}
