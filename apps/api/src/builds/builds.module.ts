import { Module } from '@nestjs/common';
import { CustomClaimsModule } from '../custom-claims/custom-claims.module';
import { EnvironmentsModule } from '../environments/environments.module';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { RepositoryModule } from '../repository/repository.module';
import { RunnersModule } from '../runners/runners.module';
import { VariablesModule } from '../variables/variables.module';
import { JobPayloadService } from './job-payload.service';
import { JobRecordLoader } from './job-record';
import { JobRequestService } from './job-request.service';
import { JobUpdateService } from './job-update.service';
import { JobsController } from './jobs.controller';

@Module({
  imports: [PipelinesModule, RepositoryModule, RunnersModule, VariablesModule, EnvironmentsModule, CustomClaimsModule],
  controllers: [JobsController],
  providers: [JobRecordLoader, JobPayloadService, JobRequestService, JobUpdateService],
  exports: [JobRecordLoader, JobPayloadService],
})
export class BuildsModule {}
