import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AlsoAnswers } from '../common/error-sections';
import { JobRequestDto } from './dto/job-request.dto';
import { PickupService } from './pickup.service';

/**
 * The runner's request for a job: the runner authenticates with the token in the body, not a personal access token.
 * `pickup-route.ts` answers the exact path in front of Nest with the same validation and errors; this documents the
 * route and serves the variants the Express route does not match (a trailing slash, …).
 */
@Controller('jobs')
@Public()
@AlsoAnswers('runners.RUNNER_TOKEN_REFUSED') // RunnersService.poll checks the runner's token
export class PickupController {
  constructor(private readonly pickup: PickupService) {}

  /** 201 with the job, or 204 when there is none for this runner (GitLab's answers). */
  @Post('request')
  async request(@Body() dto: JobRequestDto, @Res({ passthrough: true }) response: Response) {
    const payload = await this.pickup.request(dto.token);
    if (!payload) response.status(HttpStatus.NO_CONTENT);
    return payload ?? undefined;
  }
}
