import { Module } from '@nestjs/common';
import { ProjectLifecycleController } from './project-lifecycle.controller';
import { ProjectLifecycleService } from './project-lifecycle.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  controllers: [ProjectsController, ProjectLifecycleController],
  providers: [ProjectsService, ProjectLifecycleService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
