import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
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
  lintContent(@CurrentProject() project: Project, @Body() dto: LintContentDto) {
    return this.lint.lintContent(project, dto.content);
  }

  @Get()
  @RequireProjectAccess(AccessLevel.Developer)
  lintAtRef(@CurrentProject() project: Project, @Query() query: LintRefQuery) {
    return this.lint.lintAtRef(project, query);
  }
}
