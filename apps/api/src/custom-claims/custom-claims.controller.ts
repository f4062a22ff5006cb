import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentGroup, CurrentProject, RequireGroupAccess, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Namespace } from '../entities/namespace.entity';
import { Project } from '../entities/project.entity';
import { ClaimLevel, CustomClaimsService } from './custom-claims.service';
import { ReplaceCustomClaimsDto, ShowCustomClaimsQuery } from './dto/custom-claims.dto';

const groupLevel = (group: Namespace): ClaimLevel => ({ kind: 'group', group });
const projectLevel = (project: Project): ClaimLevel => ({ kind: 'project', project });

/** Custom ID-token claims: groups (owners) and projects (maintainers), each level under the ones above it. */
@Controller()
export class CustomClaimsController {
  constructor(private readonly claims: CustomClaimsService) {}

  @Get('groups/:id/ci/id_token_claims')
  @RequireGroupAccess(AccessLevel.Owner)
  showGroup(@CurrentGroup() group: Namespace, @Query() query: ShowCustomClaimsQuery) {
    return this.claims.show(groupLevel(group), query.effective);
  }

  @Put('groups/:id/ci/id_token_claims')
  @RequireGroupAccess(AccessLevel.Owner)
  replaceGroup(@Caller() caller: CallerType, @CurrentGroup() group: Namespace, @Body() dto: ReplaceCustomClaimsDto) {
    return this.claims.replace(caller, groupLevel(group), dto);
  }

  @Get('groups/:id/ci/id_token_claims/events')
  @RequireGroupAccess(AccessLevel.Owner)
  groupEvents(@CurrentGroup() group: Namespace, @Query() page: PageQuery) {
    return this.claims.events(groupLevel(group), page);
  }

  @Get('projects/:id/ci/id_token_claims')
  @RequireProjectAccess(AccessLevel.Maintainer)
  showProject(@CurrentProject() project: Project, @Query() query: ShowCustomClaimsQuery) {
    return this.claims.show(projectLevel(project), query.effective);
  }

  @Put('projects/:id/ci/id_token_claims')
  @RequireProjectAccess(AccessLevel.Maintainer)
  replaceProject(@Caller() caller: CallerType, @CurrentProject() project: Project, @Body() dto: ReplaceCustomClaimsDto) {
    return this.claims.replace(caller, projectLevel(project), dto);
  }

  @Get('projects/:id/ci/id_token_claims/events')
  @RequireProjectAccess(AccessLevel.Maintainer)
  projectEvents(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.claims.events(projectLevel(project), page);
  }
}
