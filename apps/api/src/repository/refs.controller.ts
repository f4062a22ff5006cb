import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { PageQuery } from '../common/pagination';
import { Project } from '../entities/project.entity';
import { BranchesService } from './branches.service';
import { CommitsService } from './commits.service';
import { CreateBranchDto } from './dto/branch.dto';
import { CreateTagDto } from './dto/tag.dto';
import { Actor, RepositoryActor, RequireCodeRead } from './repository-access.decorator';
import { TagsService } from './tags.service';
import { CommitsQuery, TreeQuery } from './dto/history.dto';
import { HistoryService } from './history.service';

/** Branches, tags and commits: `:branch`, `:tag_name` and `:sha` arrive URL-encoded when they hold a `/`. */
@Controller('projects/:id/repository')
export class RefsController {
  constructor(
    private readonly branches: BranchesService,
    private readonly tags: TagsService,
    private readonly commits: CommitsService,
    private readonly history: HistoryService,
  ) {}

  @Get('branches')
  @RequireCodeRead()
  listBranches(@Actor() actor: RepositoryActor, @CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.branches.list(actor, project, page);
  }

  @Get('branches/:branch')
  @RequireCodeRead()
  showBranch(@Actor() actor: RepositoryActor, @CurrentProject() project: Project, @Param('branch') name: string) {
    return this.branches.show(actor, project, name);
  }

  @Post('branches')
  @RequireProjectAccess(AccessLevel.Developer)
  createBranch(@Actor() actor: RepositoryActor, @CurrentProject() project: Project, @Body() dto: CreateBranchDto) {
    return this.branches.create(actor, project, dto);
  }

  @Delete('branches/:branch')
  @HttpCode(204)
  @RequireProjectAccess(AccessLevel.Developer)
  removeBranch(@CurrentProject() project: Project, @Param('branch') name: string) {
    return this.branches.remove(project, name);
  }

  @Get('tags')
  @RequireCodeRead()
  listTags(@CurrentProject() project: Project, @Query() page: PageQuery) {
    return this.tags.list(project, page);
  }

  @Get('tags/:tag_name')
  @RequireCodeRead()
  showTag(@CurrentProject() project: Project, @Param('tag_name') name: string) {
    return this.tags.show(project, name);
  }

  @Post('tags')
  @RequireProjectAccess(AccessLevel.Developer)
  createTag(@Actor() actor: RepositoryActor, @CurrentProject() project: Project, @Body() dto: CreateTagDto) {
    return this.tags.create(actor, project, dto);
  }

  @Delete('tags/:tag_name')
  @HttpCode(204)
  @RequireProjectAccess(AccessLevel.Developer)
  removeTag(@Actor() actor: RepositoryActor, @CurrentProject() project: Project, @Param('tag_name') name: string) {
    return this.tags.remove(actor, project, name);
  }

  @Get('commits')
  @RequireCodeRead()
  listCommits(@CurrentProject() project: Project, @Query() query: CommitsQuery) {
    return this.history.commits(project, query);
  }

  @Get('tree')
  @RequireCodeRead()
  tree(@CurrentProject() project: Project, @Query() query: TreeQuery) {
    return this.history.tree(project, query);
  }

  @Get('commits/:sha')
  @RequireCodeRead()
  showCommit(@CurrentProject() project: Project, @Param('sha') sha: string) {
    return this.commits.show(project, sha);
  }
}
