import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { CurrentGroup, CurrentProject, RequireGroupAccess, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Namespace } from '../entities/namespace.entity';
import { Project } from '../entities/project.entity';
import { CreateVariableDto, UpdateVariableDto, VariableFilterQuery } from './dto/variable.dto';
import { CiVariablesService, GROUP_VARIABLES_ACCESS, VariableOwner } from './variables.service';

const projectOwner = (project: Project): VariableOwner => ({ kind: 'project', id: project.id });
const groupOwner = (group: Namespace): VariableOwner => ({ kind: 'group', id: group.id });

@Controller()
export class VariablesController {
  constructor(private readonly variables: CiVariablesService) {}

  @Get('projects/:id/variables')
  @RequireProjectAccess(AccessLevel.Maintainer)
  listProject(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.variables.list(projectOwner(project), page);
  }

  @Post('projects/:id/variables')
  @RequireProjectAccess(AccessLevel.Maintainer)
  createProject(@CurrentProject() project: Project, @Body() dto: CreateVariableDto) {
    return this.variables.create(projectOwner(project), dto);
  }

  @Get('projects/:id/variables/:key')
  @RequireProjectAccess(AccessLevel.Maintainer)
  showProject(@CurrentProject() project: Project, @Param('key') key: string, @Query() query: VariableFilterQuery) {
    return this.variables.show(projectOwner(project), key, query);
  }

  @Put('projects/:id/variables/:key')
  @RequireProjectAccess(AccessLevel.Maintainer)
  updateProject(
    @CurrentProject() project: Project,
    @Param('key') key: string,
    @Query() query: VariableFilterQuery,
    @Body() dto: UpdateVariableDto,
  ) {
    return this.variables.update(projectOwner(project), key, query, dto);
  }

  @Delete('projects/:id/variables/:key')
  @HttpCode(204)
  @RequireProjectAccess(AccessLevel.Maintainer)
  removeProject(@CurrentProject() project: Project, @Param('key') key: string, @Query() query: VariableFilterQuery) {
    return this.variables.remove(projectOwner(project), key, query);
  }

  @Get('groups/:id/variables')
  @RequireGroupAccess(GROUP_VARIABLES_ACCESS)
  listGroup(@CurrentGroup() group: Namespace, @Query() page: PageQuery) {
    return this.variables.list(groupOwner(group), page);
  }

  @Post('groups/:id/variables')
  @RequireGroupAccess(GROUP_VARIABLES_ACCESS)
  createGroup(@CurrentGroup() group: Namespace, @Body() dto: CreateVariableDto) {
    return this.variables.create(groupOwner(group), dto);
  }

  @Get('groups/:id/variables/:key')
  @RequireGroupAccess(GROUP_VARIABLES_ACCESS)
  showGroup(@CurrentGroup() group: Namespace, @Param('key') key: string, @Query() query: VariableFilterQuery) {
    return this.variables.show(groupOwner(group), key, query);
  }

  @Put('groups/:id/variables/:key')
  @RequireGroupAccess(GROUP_VARIABLES_ACCESS)
  updateGroup(
    @CurrentGroup() group: Namespace,
    @Param('key') key: string,
    @Query() query: VariableFilterQuery,
    @Body() dto: UpdateVariableDto,
  ) {
    return this.variables.update(groupOwner(group), key, query, dto);
  }

  @Delete('groups/:id/variables/:key')
  @HttpCode(204)
  @RequireGroupAccess(GROUP_VARIABLES_ACCESS)
  removeGroup(@CurrentGroup() group: Namespace, @Param('key') key: string, @Query() query: VariableFilterQuery) {
    return this.variables.remove(groupOwner(group), key, query);
  }
}
