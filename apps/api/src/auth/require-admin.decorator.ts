import { CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';

@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const caller = context.switchToHttp().getRequest<Request>().caller;
    if (!caller) throw ApiError.unauthorized();
    if (!caller.user.admin) throw ApiError.forbidden('admin access is required');
    return true;
  }
}

/** Instance administrators only (403 for everyone else, as GitLab's admin API). */
export const RequireAdmin = () => UseGuards(AdminGuard);
