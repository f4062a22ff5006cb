import { Module } from '@nestjs/common';
import { RepositoryModule } from '../repository/repository.module';
import { ForkController } from './fork.controller';
import { ForkService } from './fork.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  imports: [RepositoryModule],
  controllers: [ProjectsController, ForkController],
  providers: [ProjectsService, ForkService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
