import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { Project } from '../entities/project.entity';
import { LintContentDto, LintRefQuery } from './dto/lint.dto';
import { LintService } from './lint.service';

@Controller('projects/:id/ci/lint')
export class LintController {
  constructor(private readonly lint: LintService) {}

  @Post()
  @HttpCode(200)
  @RequireProjectAccess(AccessLevel.Developer)
  lintContent(@Caller() caller: CallerType, @CurrentProject() project: Project, @Body() dto: LintContentDto) {
    return this.lint.lintContent(caller, project, dto);
  }

  @Get()
  @RequireProjectAccess(AccessLevel.Developer)
  lintAtRef(@Caller() caller: CallerType, @CurrentProject() project: Project, @Query() query: LintRefQuery) {
    return this.lint.lintAtRef(caller, project, query);
  }
}
