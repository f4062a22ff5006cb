import { Module } from '@nestjs/common';
import { DeployAccessService } from './deploy-access.service';
import { EnvironmentsController } from './environments.controller';
import { EnvironmentsService } from './environments.service';
import { ProtectedEnvironmentsController } from './protected-environments.controller';
import { ProtectedEnvironmentsService } from './protected-environments.service';

@Module({
  controllers: [EnvironmentsController, ProtectedEnvironmentsController],
  providers: [EnvironmentsService, ProtectedEnvironmentsService, DeployAccessService],
  exports: [EnvironmentsService, DeployAccessService],
})
export class EnvironmentsModule {}
