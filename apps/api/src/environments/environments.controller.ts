import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { Project } from '../entities/project.entity';
import { CreateEnvironmentDto, EnvironmentListQuery } from './dto/environment.dto';
import { EnvironmentsService } from './environments.service';

@Controller('projects/:id/environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @Get()
  @RequireProjectAccess(AccessLevel.Reporter)
  list(@CurrentProject() project: Project, @Query() query: EnvironmentListQuery) {
    return this.environments.list(project, query);
  }

  @Get(':environment_id')
  @RequireProjectAccess(AccessLevel.Reporter)
  show(@CurrentProject() project: Project, @Param('environment_id', ParseIntPipe) id: number) {
    return this.environments.show(project, id);
  }

  @Post()
  @RequireProjectAccess(AccessLevel.Developer)
  create(@CurrentProject() project: Project, @Body() dto: CreateEnvironmentDto) {
    return this.environments.create(project, dto);
  }
}
