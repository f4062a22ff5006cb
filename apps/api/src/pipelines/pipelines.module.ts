import { Module } from '@nestjs/common';
import { CustomClaimsModule } from '../custom-claims/custom-claims.module';
import { EnvironmentsModule } from '../environments/environments.module';
import { RepositoryModule } from '../repository/repository.module';
import { CiConfigSource } from './ci-config-source';
import { DelayedJobsScheduler } from './delayed-jobs.scheduler';
import { JobActionsController } from './job-actions.controller';
import { JobControlService } from './job-control.service';
import { JobPlayService } from './job-play.service';
import { JobWriteAccess } from './job-write-access';
import { PipelineActionsController } from './pipeline-actions.controller';
import { PipelineCreationService } from './pipeline-creation.service';
import { PipelineFactsLoader } from './pipeline-facts';
import { PipelinePlanner } from './pipeline-planner';
import { PipelineProgressService } from './pipeline-progress.service';
import { PipelineRemovalService } from './pipeline-removal.service';
import { PipelinesController } from './pipelines.controller';
import { PipelinesService } from './pipelines.service';
import { PushPipelinesService } from './push-pipelines.service';
import { StuckJobsScheduler } from './stuck-jobs.scheduler';

@Module({
  imports: [RepositoryModule, EnvironmentsModule, CustomClaimsModule],
  controllers: [PipelinesController, JobActionsController, PipelineActionsController],
  providers: [
    CiConfigSource,
    PipelineCreationService,
    PipelineFactsLoader,
    PipelinePlanner,
    PipelineProgressService,
    PipelineRemovalService,
    PipelinesService,
    PushPipelinesService,
    JobPlayService,
    JobControlService,
    JobWriteAccess,
    DelayedJobsScheduler,
    StuckJobsScheduler,
  ],
  exports: [CiConfigSource, PipelineCreationService, PipelinePlanner, PipelineProgressService, PipelinesService],
})
export class PipelinesModule {}
