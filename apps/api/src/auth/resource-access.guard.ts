import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { findGroup } from '../routes/find-group';
import { findProject } from '../routes/find-project';
import { AccessService } from './access.service';
import { REQUIRED_ACCESS, RequiredAccess } from './require-access.decorator';

@Injectable()
export class ResourceAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.get<RequiredAccess>(REQUIRED_ACCESS, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    const user = request.caller?.user;
    if (!user) throw ApiError.unauthorized();
    const rawId = String(request.params.id ?? '');
    if (required.resource === 'project') {
      const project = await findProject(this.db.manager, rawId);
      if (!project) throw ApiError.notFound('Project');
      request.project = project;
      request.accessLevel = await this.access.levelOnProject(user, project, this.db.manager);
      this.access.enforce(user, request.accessLevel, project.visibility, required.level, 'Project');
    } else {
      const group = await findGroup(this.db.manager, rawId);
      if (!group) throw ApiError.notFound('Group');
      request.group = group;
      request.accessLevel = await this.access.levelOnGroup(user, group, this.db.manager);
      this.access.enforce(user, request.accessLevel, group.visibility, required.level, 'Group');
    }
    return true;
  }
}
