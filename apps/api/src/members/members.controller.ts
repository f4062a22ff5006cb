import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CallerAccess, CurrentGroup, CurrentProject, RequireGroupAccess, RequireProjectAccess } from '../auth/require-access.decorator';
import { ListMembersQuery } from './dto/list-members.query';
import { Namespace } from '../entities/namespace.entity';
import { Project } from '../entities/project.entity';
import { AddMemberDto, UpdateMemberDto } from './dto/add-member.dto';
import { MembersService } from './members.service';

const projectSource = (project: Project, callerLevel: AccessLevel) => ({ type: 'Project' as const, id: project.id, callerLevel });
const groupSource = (group: Namespace, callerLevel: AccessLevel) => ({ type: 'Namespace' as const, id: group.id, callerLevel });

@Controller()
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get('projects/:id/members')
  @RequireProjectAccess(AccessLevel.NoAccess)
  listProject(@CurrentProject() project: Project, @CallerAccess() level: AccessLevel, @Query() query: ListMembersQuery) {
    return this.members.list(projectSource(project, level), query);
  }

  /** Before `members/:user_id`, which would read `all` as a user id. */
  @Get('projects/:id/members/all')
  @RequireProjectAccess(AccessLevel.NoAccess)
  listAllProject(@CurrentProject() project: Project, @CallerAccess() level: AccessLevel, @Query() query: ListMembersQuery) {
    return this.members.listAll(projectSource(project, level), query);
  }

  @Get('projects/:id/members/all/:user_id')
  @RequireProjectAccess(AccessLevel.NoAccess)
  showAllProject(@CurrentProject() project: Project, @CallerAccess() level: AccessLevel, @Param('user_id', ParseIntPipe) userId: number) {
    return this.members.showAll(projectSource(project, level), userId);
  }

  @Get('projects/:id/members/:user_id')
  @RequireProjectAccess(AccessLevel.NoAccess)
  showProject(@CurrentProject() project: Project, @CallerAccess() level: AccessLevel, @Param('user_id', ParseIntPipe) userId: number) {
    return this.members.show(projectSource(project, level), userId);
  }

  @Post('projects/:id/members')
  @RequireProjectAccess(AccessLevel.Maintainer)
  addProject(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Body() dto: AddMemberDto,
  ) {
    return this.members.add(caller, projectSource(project, level), dto);
  }

  @Put('projects/:id/members/:user_id')
  @RequireProjectAccess(AccessLevel.Maintainer)
  updateProject(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Param('user_id', ParseIntPipe) userId: number,
    @Body() dto: UpdateMemberDto,
  ) {
    return this.members.update(caller, projectSource(project, level), userId, dto);
  }

  @Delete('projects/:id/members/:user_id')
  @HttpCode(204)
  @RequireProjectAccess(AccessLevel.Maintainer)
  removeProject(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Param('user_id', ParseIntPipe) userId: number,
  ) {
    return this.members.remove(caller, projectSource(project, level), userId);
  }

  @Get('groups/:id/members')
  @RequireGroupAccess(AccessLevel.NoAccess)
  listGroup(@CurrentGroup() group: Namespace, @CallerAccess() level: AccessLevel, @Query() query: ListMembersQuery) {
    return this.members.list(groupSource(group, level), query);
  }

  @Get('groups/:id/members/all')
  @RequireGroupAccess(AccessLevel.NoAccess)
  listAllGroup(@CurrentGroup() group: Namespace, @CallerAccess() level: AccessLevel, @Query() query: ListMembersQuery) {
    return this.members.listAll(groupSource(group, level), query);
  }

  @Get('groups/:id/members/all/:user_id')
  @RequireGroupAccess(AccessLevel.NoAccess)
  showAllGroup(@CurrentGroup() group: Namespace, @CallerAccess() level: AccessLevel, @Param('user_id', ParseIntPipe) userId: number) {
    return this.members.showAll(groupSource(group, level), userId);
  }

  @Get('groups/:id/members/:user_id')
  @RequireGroupAccess(AccessLevel.NoAccess)
  showGroup(@CurrentGroup() group: Namespace, @CallerAccess() level: AccessLevel, @Param('user_id', ParseIntPipe) userId: number) {
    return this.members.show(groupSource(group, level), userId);
  }

  @Post('groups/:id/members')
  @RequireGroupAccess(AccessLevel.Owner)
  addGroup(@Caller() caller: CallerType, @CurrentGroup() group: Namespace, @CallerAccess() level: AccessLevel, @Body() dto: AddMemberDto) {
    return this.members.add(caller, groupSource(group, level), dto);
  }

  @Put('groups/:id/members/:user_id')
  @RequireGroupAccess(AccessLevel.Owner)
  updateGroup(
    @Caller() caller: CallerType,
    @CurrentGroup() group: Namespace,
    @CallerAccess() level: AccessLevel,
    @Param('user_id', ParseIntPipe) userId: number,
    @Body() dto: UpdateMemberDto,
  ) {
    return this.members.update(caller, groupSource(group, level), userId, dto);
  }

  @Delete('groups/:id/members/:user_id')
  @HttpCode(204)
  @RequireGroupAccess(AccessLevel.Owner)
  removeGroup(
    @Caller() caller: CallerType,
    @CurrentGroup() group: Namespace,
    @CallerAccess() level: AccessLevel,
    @Param('user_id', ParseIntPipe) userId: number,
  ) {
    return this.members.remove(caller, groupSource(group, level), userId);
  }
}
