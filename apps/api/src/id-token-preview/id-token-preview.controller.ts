import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Project } from '../entities/project.entity';
import { IdTokenPreviewDto } from './dto/id-token-preview.dto';
import { IdTokenPreviewService } from './id-token-preview.service';

/** The claims a job's ID tokens would carry if a runner took it now: trust policies checked before anything runs. */
@Controller('projects/:id/ci')
export class IdTokenPreviewController {
  constructor(private readonly previews: IdTokenPreviewService) {}

  @Post('id_token_preview')
  @HttpCode(200)
  @RequireProjectAccess(AccessLevel.Maintainer)
  preview(@Caller() caller: CallerType, @CurrentProject() project: Project, @Body() dto: IdTokenPreviewDto) {
    return this.previews.preview(caller, project, dto);
  }

  /** The audit of previews: who asked for which job's tokens, and when. */
  @Get('id_token_previews')
  @RequireProjectAccess(AccessLevel.Maintainer)
  list(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.previews.list(project, page);
  }
}
