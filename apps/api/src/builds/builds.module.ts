import { Module } from '@nestjs/common';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { JobUpdateService } from './job-update.service';
import { JobsController } from './jobs.controller';

@Module({ imports: [PipelinesModule], controllers: [JobsController], providers: [JobUpdateService] })
export class BuildsModule {}
