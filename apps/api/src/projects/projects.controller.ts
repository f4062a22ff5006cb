import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CallerAccess, CurrentGroup, CurrentProject, RequireGroupAccess, RequireProjectAccess } from '../auth/require-access.decorator';
import { Namespace } from '../entities/namespace.entity';
import { CreateProjectDto } from './dto/create-project.dto';
import { ListProjectsQuery } from './dto/list-projects.query';
import { UpdateProjectDto } from './dto/update-project.dto';
import { Project } from '../entities/project.entity';
import { ProjectsService } from './projects.service';

@Controller()
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post('projects')
  create(@Caller() caller: CallerType, @Body() dto: CreateProjectDto) {
    return this.projects.create(caller, dto);
  }

  @Get('projects')
  list(@Caller() caller: CallerType, @Query() query: ListProjectsQuery) {
    return this.projects.list(caller, query);
  }

  @Get('projects/:id')
  @RequireProjectAccess(AccessLevel.NoAccess)
  show(@Caller() caller: CallerType, @CurrentProject() project: Project) {
    return this.projects.present(project, caller.user);
  }

  @Put('projects/:id')
  @RequireProjectAccess(AccessLevel.Maintainer)
  update(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Body() dto: UpdateProjectDto,
  ) {
    return this.projects.update(caller, project, level, dto);
  }

  @Get('groups/:id/projects')
  @RequireGroupAccess(AccessLevel.NoAccess)
  listInGroup(@Caller() caller: CallerType, @CurrentGroup() group: Namespace, @Query() query: ListProjectsQuery) {
    return this.projects.list(caller, query, { namespace: group });
  }
}
