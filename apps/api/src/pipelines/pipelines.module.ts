import { Module } from '@nestjs/common';
import { CustomClaimsModule } from '../custom-claims/custom-claims.module';
import { EnvironmentsModule } from '../environments/environments.module';
import { RepositoryModule } from '../repository/repository.module';
import { DelayedJobsScheduler } from './delayed-jobs.scheduler';
import { JobActionsController } from './job-actions.controller';
import { JobPlayService } from './job-play.service';
import { PipelineCreationService } from './pipeline-creation.service';
import { PipelineProgressService } from './pipeline-progress.service';
import { PipelinesController } from './pipelines.controller';
import { PipelinesService } from './pipelines.service';
import { PushPipelinesService } from './push-pipelines.service';
import { StuckJobsScheduler } from './stuck-jobs.scheduler';

@Module({
  imports: [RepositoryModule, EnvironmentsModule, CustomClaimsModule],
  controllers: [PipelinesController, JobActionsController],
  providers: [
    PipelineCreationService,
    PipelineProgressService,
    PipelinesService,
    PushPipelinesService,
    JobPlayService,
    DelayedJobsScheduler,
    StuckJobsScheduler,
  ],
  exports: [PipelineCreationService, PipelineProgressService, PipelinesService],
})
export class PipelinesModule {}
