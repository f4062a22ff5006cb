import { Body, Controller, Delete, HttpCode, Put } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { CurrentProject, RequireProjectAccess } from '../auth/require-access.decorator';
import { TransferProjectDto } from './dto/transfer-project.dto';
import { ProjectLifecycleService } from './project-lifecycle.service';
import { Project } from '../entities/project.entity';

/** GitLab's `change_namespace` and `remove_project`: owner abilities (`ProjectPolicy`), admins included. */
@Controller('projects')
export class ProjectLifecycleController {
  constructor(private readonly lifecycle: ProjectLifecycleService) {}

  @Put(':id/transfer')
  @RequireProjectAccess(AccessLevel.Owner)
  transfer(@Caller() caller: CallerType, @CurrentProject() project: Project, @Body() dto: TransferProjectDto) {
    return this.lifecycle.transfer(caller, project, dto.namespace);
  }

  @Delete(':id')
  @HttpCode(202)
  @RequireProjectAccess(AccessLevel.Owner)
  delete(@CurrentProject() project: Project) {
    return this.lifecycle.delete(project);
  }
}
