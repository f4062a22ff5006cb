import { CanActivate, ExecutionContext, Injectable, UseGuards, applyDecorators, createParamDecorator } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import type { Request } from 'express';
import { RequireProjectAccess } from '../auth/require-access.decorator';
import { ApiError } from '../common/api-error';
import type { User } from '../entities/user.entity';
import type { RefActor } from '@lanyard/git-refs';

/** Runs after the project guard: code of a public or internal project is readable by anyone who sees the project. */
@Injectable()
export class CodeReadGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.caller!.user.admin || request.project!.visibility !== 'private') return true;
    if (request.accessLevel! >= AccessLevel.Reporter) return true;
    throw ApiError.forbidden();
  }
}

/** Reading repository content: as GitLab, reporters and up on a private project, anyone who can see any other. */
export const RequireCodeRead = () => applyDecorators(RequireProjectAccess(AccessLevel.NoAccess), UseGuards(CodeReadGuard));

/** Who is acting on the repository, as protection rules judge them. */
export interface RepositoryActor extends RefActor {
  readonly user: User;
}

export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): RepositoryActor => {
  const request = context.switchToHttp().getRequest<Request>();
  const user = request.caller!.user;
  return { user, admin: user.admin, level: request.accessLevel! };
});
