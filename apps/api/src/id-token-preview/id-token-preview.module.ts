import { Module } from '@nestjs/common';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { MergeRequestsModule } from '../merge-requests/merge-requests.module';
import { RepositoryModule } from '../repository/repository.module';
import { VariablesModule } from '../variables/variables.module';
import { IdTokenPreviewController } from './id-token-preview.controller';
import { IdTokenPreviewService } from './id-token-preview.service';

@Module({
  imports: [RepositoryModule, PipelinesModule, MergeRequestsModule, VariablesModule],
  controllers: [IdTokenPreviewController],
  providers: [IdTokenPreviewService],
})
export class IdTokenPreviewModule {}
