import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { CurrentJobService } from './current-job.service';
import { DocumentJobToken, JobToken } from './job-log.decorators';

/** Authenticated by the job token (`JOB-TOKEN` or `job_token`), not a personal access token. */
@Controller()
export class CurrentJobController {
  constructor(private readonly jobs: CurrentJobService) {}

  @Get('job')
  @Public()
  @DocumentJobToken('job_token')
  show(@JobToken('job_token') token: string) {
    return this.jobs.show(token);
  }
}
