import { Controller, Get, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Project } from '../entities/project.entity';
import { IssuancesService } from './issuances.service';

@Controller('projects/:id/ci/id_token_issuances')
export class IssuancesController {
  constructor(private readonly issuances: IssuancesService) {}

  @Get()
  @RequireProjectAccess(AccessLevel.Maintainer)
  list(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.issuances.list(project, page);
  }
}
