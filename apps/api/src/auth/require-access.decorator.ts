import { ExecutionContext, SetMetadata, UseGuards, applyDecorators, createParamDecorator } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import type { Request } from 'express';
import { ResourceAccessGuard } from './resource-access.guard';

export const REQUIRED_ACCESS = 'lanyard:required-access';

export interface RequiredAccess {
  readonly resource: 'project' | 'group';
  readonly level: AccessLevel;
}

/**
 * Loads the project named by `:id` (id or URL-encoded path) and checks the caller's level on it:
 * 404 when they cannot see it, 403 when they see it but lack `level`. NoAccess means "can see it".
 */
export const RequireProjectAccess = (level: AccessLevel) =>
  applyDecorators(SetMetadata(REQUIRED_ACCESS, { resource: 'project', level }), UseGuards(ResourceAccessGuard));

export const RequireGroupAccess = (level: AccessLevel) =>
  applyDecorators(SetMetadata(REQUIRED_ACCESS, { resource: 'group', level }), UseGuards(ResourceAccessGuard));

export const CurrentProject = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<Request>().project!,
);

export const CurrentGroup = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<Request>().group!,
);

/** The caller's effective level on the resource the guard loaded. */
export const CallerAccess = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<Request>().accessLevel!,
);
