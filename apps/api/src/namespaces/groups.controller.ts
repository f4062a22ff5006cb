import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentGroup, RequireGroupAccess } from '../auth/require-access.decorator';
import { CreateGroupDto } from './dto/create-group.dto';
import { ListGroupsQuery } from './dto/list-groups.query';
import { UpdateGroupDto } from './dto/update-group.dto';
import { GroupsService } from './groups.service';
import { Namespace } from '../entities/namespace.entity';

@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Post()
  create(@Caller() caller: CallerType, @Body() dto: CreateGroupDto) {
    return this.groups.create(caller, dto);
  }

  @Get()
  list(@Caller() caller: CallerType, @Query() query: ListGroupsQuery) {
    return this.groups.list(caller, query);
  }

  @Get(':id')
  @RequireGroupAccess(AccessLevel.NoAccess)
  show(@CurrentGroup() group: Namespace) {
    return this.groups.present(group);
  }

  @Put(':id')
  @RequireGroupAccess(AccessLevel.Owner)
  update(@CurrentGroup() group: Namespace, @Body() dto: UpdateGroupDto) {
    return this.groups.update(group, dto);
  }

  @Get(':id/subgroups')
  @RequireGroupAccess(AccessLevel.NoAccess)
  subgroups(@Caller() caller: CallerType, @CurrentGroup() group: Namespace, @Query() query: ListGroupsQuery) {
    return this.groups.list(caller, query, group.id);
  }
}
