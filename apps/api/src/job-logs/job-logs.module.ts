import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { raw } from 'express';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { CurrentJobController } from './current-job.controller';
import { CurrentJobService } from './current-job.service';
import { JobLogsController } from './job-logs.controller';
import { JobLogsService } from './job-logs.service';

/** The runner sends at most 1 MiB a patch (gitlab-runner's `DefaultTracePatchLimit`); this leaves room. */
const PATCH_LIMIT = '4mb';

@Module({
  imports: [PipelinesModule],
  controllers: [JobLogsController, CurrentJobController],
  providers: [JobLogsService, CurrentJobService],
  exports: [JobLogsService],
})
export class JobLogsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The log is bytes, sent as text/plain: read it as sent, whatever the content type.
    consumer.apply(raw({ type: () => true, limit: PATCH_LIMIT })).forRoutes({ path: 'jobs/:id/trace', method: RequestMethod.PATCH });
  }
}
