import { Body, Controller, HttpCode, Param, ParseIntPipe, Put } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { UpdateJobDto } from './dto/update-job.dto';
import { JobUpdateService } from './job-update.service';

/** The runner API: runners authenticate with the token in the body, not a personal access token. */
@Controller('jobs')
@Public()
export class JobsController {
  constructor(private readonly updates: JobUpdateService) {}

  @Put(':id')
  @HttpCode(200)
  update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateJobDto) {
    return this.updates.update(id, dto);
  }
}
