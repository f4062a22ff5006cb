import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ScopeRouteClass, decideTokenScope } from '@lanyard/access';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { PUBLIC_ROUTE, TOKEN_SCOPE_CLASS } from './auth.decorators';
import { AuthService } from './auth.service';

/**
 * Global: every route needs a valid personal access token unless marked @Public(), owned by a user who
 * is not blocked, with a scope the route accepts. Runs before the resource guards, so a refused scope reveals nothing.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();
    const token = tokenFrom(request);
    if (!token) throw ApiError.unauthorized();
    const credentials = await this.auth.credentialsForToken(token);
    if (!credentials) throw ApiError.unauthorized();
    // GitLab answers a blocked user's token with 403 and this reason (UserAccessDeniedReason), before any scope check.
    if (credentials.user.state !== 'active') throw ApiError.forbidden('Your account has been blocked.');
    const routeClass = this.reflector.getAllAndOverride<ScopeRouteClass | undefined>(TOKEN_SCOPE_CLASS, [context.getHandler(), context.getClass()]);
    const decision = decideTokenScope(credentials.scopes, routeClass ?? 'api', request.method);
    if (!decision.allowed) throw ApiError.insufficientScope(decision.registered);
    request.caller = { user: credentials.user };
    return true;
  }
}

function tokenFrom(request: Request): string | undefined {
  const header = request.get('private-token');
  if (header) return header.trim();
  const authorization = request.get('authorization');
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (bearer) return bearer[1];
  const query = request.query.private_token;
  return typeof query === 'string' && query !== '' ? query : undefined;
}
