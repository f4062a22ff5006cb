import { Module } from '@nestjs/common';
import { GroupLifecycleController } from './group-lifecycle.controller';
import { GroupLifecycleService } from './group-lifecycle.service';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

@Module({
  controllers: [GroupsController, GroupLifecycleController],
  providers: [GroupsService, GroupLifecycleService],
  exports: [GroupsService],
})
export class NamespacesModule {}
