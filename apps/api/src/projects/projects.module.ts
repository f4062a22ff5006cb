import { Module } from '@nestjs/common';
import { RepositoryModule } from '../repository/repository.module';
import { ForkController } from './fork.controller';
import { ForkService } from './fork.service';
import { ProjectLifecycleController } from './project-lifecycle.controller';
import { ProjectLifecycleService } from './project-lifecycle.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  imports: [RepositoryModule],
  controllers: [ProjectsController, ProjectLifecycleController, ForkController],
  providers: [ProjectsService, ProjectLifecycleService, ForkService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
