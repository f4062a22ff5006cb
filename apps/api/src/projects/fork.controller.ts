import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CallerAccess, CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { ForkProjectDto } from './dto/fork-project.dto';
import { ListProjectsQuery } from './dto/list-projects.query';
import { ForkService } from './fork.service';
import { Project } from '../entities/project.entity';

@Controller('projects/:id')
export class ForkController {
  constructor(private readonly forks: ForkService) {}

  @Post('fork')
  @RequireProjectAccess(AccessLevel.NoAccess)
  fork(@Caller() caller: CallerType, @CurrentProject() project: Project, @CallerAccess() level: AccessLevel, @Body() dto: ForkProjectDto) {
    return this.forks.fork(caller, project, level, dto);
  }

  @Get('forks')
  @RequireProjectAccess(AccessLevel.NoAccess)
  list(@Caller() caller: CallerType, @CurrentProject() project: Project, @Query() query: ListProjectsQuery) {
    return this.forks.forks(caller, project, query);
  }
}
