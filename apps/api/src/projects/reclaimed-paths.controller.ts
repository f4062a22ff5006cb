import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { RequireAdmin } from '../auth/require-admin.decorator';
import { ReclaimedPathsQuery, ReleaseReclaimedPathDto } from './dto/release-reclaimed-path.dto';
import { ReclaimedPathsService } from './reclaimed-paths.service';

/** Paths projects gave up, and the admin's release of one for a project that may mint tokens on it again. */
@Controller('admin/ci/reclaimed_paths')
@RequireAdmin()
export class ReclaimedPathsController {
  constructor(private readonly paths: ReclaimedPathsService) {}

  @Get()
  list(@Query() query: ReclaimedPathsQuery) {
    return this.paths.list(query);
  }

  @Post('release')
  release(@Caller() caller: CallerType, @Body() dto: ReleaseReclaimedPathDto) {
    return this.paths.release(caller, dto);
  }
}
