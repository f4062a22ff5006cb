import { Module } from '@nestjs/common';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { RepositoryModule } from '../repository/repository.module';
import { MergeRequestPipelinesService } from './merge-request-pipelines.service';
import { MergeRequestPushPipelinesService } from './merge-request-push-pipelines.service';
import { MergeRequestsController } from './merge-requests.controller';
import { MergeRequestsService } from './merge-requests.service';

@Module({
  imports: [RepositoryModule, PipelinesModule],
  controllers: [MergeRequestsController],
  providers: [MergeRequestsService, MergeRequestPipelinesService, MergeRequestPushPipelinesService],
  exports: [MergeRequestsService],
})
export class MergeRequestsModule {}
