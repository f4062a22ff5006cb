import { Body, Controller, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { JobRequestDto, UpdateJobDto } from './dto/job-request.dto';
import { JobRequestService } from './job-request.service';
import { JobUpdateService } from './job-update.service';

/** The runner API: runners authenticate with the token in the body, not a personal access token. */
@Controller('jobs')
@Public()
export class JobsController {
  constructor(
    private readonly requests: JobRequestService,
    private readonly updates: JobUpdateService,
  ) {}

  /** 201 with the job, or 204 when there is none for this runner (GitLab's answers). */
  @Post('request')
  async request(@Body() dto: JobRequestDto, @Res({ passthrough: true }) response: Response) {
    const payload = await this.requests.request(dto.token);
    if (!payload) response.status(HttpStatus.NO_CONTENT);
    return payload ?? undefined;
  }

  @Put(':id')
  @HttpCode(200)
  update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateJobDto) {
    return this.updates.update(id, dto);
  }
}
