import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentGroup, RequireGroupAccess } from '../auth/require-access.decorator';
import { TransferGroupDto } from './dto/transfer-group.dto';
import { GroupLifecycleService } from './group-lifecycle.service';
import { Namespace } from '../entities/namespace.entity';

/** GitLab's `admin_group` (transfer) and `remove_group` (delete): owner abilities (`GroupPolicy`), admins included. */
@Controller('groups')
export class GroupLifecycleController {
  constructor(private readonly lifecycle: GroupLifecycleService) {}

  @Post(':id/transfer')
  @RequireGroupAccess(AccessLevel.Owner)
  transfer(@Caller() caller: CallerType, @CurrentGroup() group: Namespace, @Body() dto: TransferGroupDto) {
    return this.lifecycle.transfer(caller, group, dto.group_id);
  }

  @Delete(':id')
  @HttpCode(202)
  @RequireGroupAccess(AccessLevel.Owner)
  delete(@CurrentGroup() group: Namespace) {
    return this.lifecycle.delete(group);
  }
}
