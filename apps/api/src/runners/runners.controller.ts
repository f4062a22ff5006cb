import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller, Public, TokenScopeClass } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentGroup, CurrentProject, RequireGroupAccess, RequireProjectAccess } from '../auth/require-access.decorator';
import type { Namespace } from '../entities/namespace.entity';
import type { Project } from '../entities/project.entity';
import { CreateRunnerDto, UnregisterRunnerManagerDto, UpdateRunnerDto, VerifyRunnerDto } from './dto/create-runner.dto';
import { ListAllRunnersQuery, ListRunnersQuery } from './dto/list-runners.query';
import { RunnerListsService } from './runner-lists.service';
import { RunnersService } from './runners.service';

@Controller()
export class RunnersController {
  constructor(
    private readonly runners: RunnersService,
    private readonly lists: RunnerListsService,
  ) {}

  /** GitLab's `GET /runners`: the runners of the caller's projects (maintainer) and groups (owner). */
  @Get('runners')
  mine(@Caller() caller: CallerType, @Query() query: ListRunnersQuery) {
    return this.lists.mine(caller, query);
  }

  /** Declared before `runners/:id`, so `all` is no id. */
  @Get('runners/all')
  all(@Caller() caller: CallerType, @Query() query: ListAllRunnersQuery) {
    return this.lists.all(caller, query);
  }

  /** GitLab's `read_project_runners`: maintainers. */
  @Get('projects/:id/runners')
  @RequireProjectAccess(AccessLevel.Maintainer)
  ofProject(@CurrentProject() project: Project, @Query() query: ListRunnersQuery) {
    return this.lists.ofProject(project, query);
  }

  /** GitLab's `read_group_runners`: maintainers. */
  @Get('groups/:id/runners')
  @RequireGroupAccess(AccessLevel.Maintainer)
  ofGroup(@CurrentGroup() group: Namespace, @Query() query: ListRunnersQuery) {
    return this.lists.ofGroup(group, query);
  }

  @Post('user/runners')
  @TokenScopeClass('user_runners')
  create(@Caller() caller: CallerType, @Body() dto: CreateRunnerDto) {
    return this.runners.create(caller, dto);
  }

  /** gitlab-runner's `UnregisterRunner`: the runner's token in the body. */
  @Delete('runners')
  @Public()
  @HttpCode(204)
  unregister(@Body() dto: VerifyRunnerDto) {
    return this.runners.unregister(dto.token);
  }

  /** gitlab-runner's `UnregisterRunnerManager`; declared before `runners/:id` routes so `managers` is no id. */
  @Delete('runners/managers')
  @Public()
  @HttpCode(204)
  unregisterManager(@Body() dto: UnregisterRunnerManagerDto) {
    return this.runners.unregisterManager(dto.token);
  }

  @Get('runners/:id')
  show(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number) {
    return this.runners.show(caller, id);
  }

  @Put('runners/:id')
  update(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateRunnerDto) {
    return this.runners.update(caller, id, dto);
  }

  @Delete('runners/:id')
  @HttpCode(204)
  remove(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number) {
    return this.runners.remove(caller, id);
  }

  @Post('runners/:id/reset_authentication_token')
  resetToken(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number) {
    return this.runners.resetToken(caller, id);
  }

  /** Runners authenticate with the token in the body, not a personal access token. */
  @Post('runners/verify')
  @Public()
  @HttpCode(200)
  verify(@Body() dto: VerifyRunnerDto) {
    return this.runners.verify(dto.token);
  }
}
