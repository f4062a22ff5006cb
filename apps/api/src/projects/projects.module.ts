import { Module } from '@nestjs/common';
import { RepositoryModule } from '../repository/repository.module';
import { ForkController } from './fork.controller';
import { ForkService } from './fork.service';
import { ProjectLifecycleController } from './project-lifecycle.controller';
import { ProjectLifecycleService } from './project-lifecycle.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';
import { ReclaimedPathsController } from './reclaimed-paths.controller';
import { ReclaimedPathsService } from './reclaimed-paths.service';

@Module({
  imports: [RepositoryModule],
  controllers: [ProjectsController, ProjectLifecycleController, ForkController, ReclaimedPathsController],
  providers: [ProjectsService, ProjectLifecycleService, ForkService, ReclaimedPathsService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
