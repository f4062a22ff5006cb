import { Module } from '@nestjs/common';
import { JobLogsModule } from '../job-logs/job-logs.module';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { JobUpdateService } from './job-update.service';
import { JobsController } from './jobs.controller';

@Module({ imports: [PipelinesModule, JobLogsModule], controllers: [JobsController], providers: [JobUpdateService] })
export class BuildsModule {}
