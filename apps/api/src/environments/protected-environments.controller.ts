import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Project } from '../entities/project.entity';
import { ProtectEnvironmentDto } from './dto/protected-environment.dto';
import { ProtectedEnvironmentsService } from './protected-environments.service';

/** `:name` is an environment name, URL-encoded (`review%2Fapp`). */
@Controller('projects/:id/protected_environments')
export class ProtectedEnvironmentsController {
  constructor(private readonly protectedEnvironments: ProtectedEnvironmentsService) {}

  @Get()
  @RequireProjectAccess(AccessLevel.Maintainer)
  list(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.protectedEnvironments.list(project, page);
  }

  @Get(':name')
  @RequireProjectAccess(AccessLevel.Maintainer)
  show(@CurrentProject() project: Project, @Param('name') name: string) {
    return this.protectedEnvironments.show(project, name);
  }

  @Post()
  @RequireProjectAccess(AccessLevel.Maintainer)
  protect(@Caller() caller: CallerType, @CurrentProject() project: Project, @Body() dto: ProtectEnvironmentDto) {
    return this.protectedEnvironments.protect(caller, project, dto);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireProjectAccess(AccessLevel.Maintainer)
  unprotect(@CurrentProject() project: Project, @Param('name') name: string) {
    return this.protectedEnvironments.unprotect(project, name);
  }
}
