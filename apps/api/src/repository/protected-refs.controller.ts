import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Project } from '../entities/project.entity';
import { ProtectBranchDto, ProtectTagDto } from './dto/protected-ref.dto';
import { ProtectedRefsService } from './protected-refs.service';

/** `:name` may be a wildcard pattern (`release/*`), URL-encoded. */
@Controller('projects/:id')
export class ProtectedRefsController {
  constructor(private readonly protectedRefs: ProtectedRefsService) {}

  @Get('protected_branches')
  @RequireProjectAccess(AccessLevel.Maintainer)
  listBranches(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.protectedRefs.list(project, 'branch', page);
  }

  @Get('protected_branches/:name')
  @RequireProjectAccess(AccessLevel.Maintainer)
  showBranch(@CurrentProject() project: Project, @Param('name') name: string) {
    return this.protectedRefs.show(project, 'branch', name);
  }

  @Post('protected_branches')
  @RequireProjectAccess(AccessLevel.Maintainer)
  protectBranch(@CurrentProject() project: Project, @Body() dto: ProtectBranchDto) {
    return this.protectedRefs.protectBranch(project, dto);
  }

  @Delete('protected_branches/:name')
  @HttpCode(204)
  @RequireProjectAccess(AccessLevel.Maintainer)
  unprotectBranch(@CurrentProject() project: Project, @Param('name') name: string) {
    return this.protectedRefs.unprotect(project, 'branch', name);
  }

  @Get('protected_tags')
  @RequireProjectAccess(AccessLevel.Maintainer)
  listTags(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.protectedRefs.list(project, 'tag', page);
  }

  @Get('protected_tags/:name')
  @RequireProjectAccess(AccessLevel.Maintainer)
  showTag(@CurrentProject() project: Project, @Param('name') name: string) {
    return this.protectedRefs.show(project, 'tag', name);
  }

  @Post('protected_tags')
  @RequireProjectAccess(AccessLevel.Maintainer)
  protectTag(@CurrentProject() project: Project, @Body() dto: ProtectTagDto) {
    return this.protectedRefs.protectTag(project, dto);
  }

  @Delete('protected_tags/:name')
  @HttpCode(204)
  @RequireProjectAccess(AccessLevel.Maintainer)
  unprotectTag(@CurrentProject() project: Project, @Param('name') name: string) {
    return this.protectedRefs.unprotect(project, 'tag', name);
  }
}
