import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CallerAccess, CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Project } from '../entities/project.entity';
import { CreateMergeRequestDto, ListMergeRequestsQuery, UpdateMergeRequestDto } from './dto/merge-request.dto';
import { MergeRequestPipelinesService } from './merge-request-pipelines.service';
import { MergeRequestsService } from './merge-requests.service';

@Controller('projects/:id/merge_requests')
export class MergeRequestsController {
  constructor(
    private readonly mergeRequests: MergeRequestsService,
    private readonly pipelines: MergeRequestPipelinesService,
  ) {}

  /** `:id` is the source project; GitLab's `create_merge_request_from` is a developer's right there. */
  @Post()
  @RequireProjectAccess(AccessLevel.Developer)
  create(@Caller() caller: CallerType, @CurrentProject() project: Project, @Body() dto: CreateMergeRequestDto) {
    return this.mergeRequests.create(caller, project, dto);
  }

  @Get()
  @RequireProjectAccess(AccessLevel.NoAccess)
  list(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Query() query: ListMergeRequestsQuery,
  ) {
    return this.mergeRequests.list(caller, project, level, query);
  }

  @Get(':iid')
  @RequireProjectAccess(AccessLevel.NoAccess)
  show(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Param('iid', ParseIntPipe) iid: number,
  ) {
    return this.mergeRequests.show(caller, project, level, iid);
  }

  @Put(':iid')
  @RequireProjectAccess(AccessLevel.NoAccess)
  update(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Param('iid', ParseIntPipe) iid: number,
    @Body() dto: UpdateMergeRequestDto,
  ) {
    return this.mergeRequests.update(caller, project, level, iid, dto);
  }

  @Get(':iid/pipelines')
  @RequireProjectAccess(AccessLevel.NoAccess)
  listPipelines(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Param('iid', ParseIntPipe) iid: number,
    @Query() page: PageQuery,
  ) {
    return this.pipelines.list(caller, project, level, iid, page);
  }

  /** Runs in the target project. GitLab answers `200`, not `201`: `status :ok` in lib/api/merge_requests.rb, every version. */
  @Post(':iid/pipelines')
  @HttpCode(200)
  @RequireProjectAccess(AccessLevel.NoAccess)
  createPipeline(
    @Caller() caller: CallerType,
    @CurrentProject() project: Project,
    @CallerAccess() level: AccessLevel,
    @Param('iid', ParseIntPipe) iid: number,
  ) {
    return this.pipelines.create(caller, project, level, iid);
  }
}
