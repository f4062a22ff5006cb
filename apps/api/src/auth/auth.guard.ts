import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ScopeRouteClass, decideSudo, decideTokenScope } from '@lanyard/access';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import type { User } from '../entities/user.entity';
import { PUBLIC_ROUTE, TOKEN_SCOPE_CLASS } from './auth.decorators';
import { AuthService, TokenCredentials } from './auth.service';

const BLOCKED = 'Your account has been blocked.';
/** GitLab's `access_token_rotation_request?`: where presenting a revoked token revokes the tokens rotated from it. */
const TOKEN_ROTATION_PATH = /\/personal_access_tokens\/(\d+|self)\/rotate$/;

/**
 * Global: every route needs a valid personal access token unless marked @Public(), owned by a user who is not
 * blocked, with a scope the route accepts. Runs before the resource guards, so a refused scope reveals nothing.
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
    if (!credentials) {
      if (TOKEN_ROTATION_PATH.test(request.path)) await this.auth.revokeFamilyOfReusedToken(token);
      throw ApiError.unauthorized();
    }
    // GitLab answers a blocked user's token with 403 and this reason (UserAccessDeniedReason), before any scope check.
    if (credentials.user.state !== 'active') throw ApiError.forbidden(BLOCKED);
    // The route's scopes first, sudo or not (GitLab's `find_current_user!` validates them before `sudo!`), so a
    // read-only token stays read-only whoever it acts as.
    const routeClass = this.reflector.getAllAndOverride<ScopeRouteClass | undefined>(TOKEN_SCOPE_CLASS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const decision = decideTokenScope(credentials.scopes, routeClass ?? 'api', request.method);
    if (!decision.allowed) throw ApiError.insufficientScope(decision.registered);
    const sudo = sudoIdentifier(request);
    request.caller = { user: sudo === undefined ? credentials.user : await this.actAs(credentials, sudo) };
    request.accessTokenId = credentials.tokenId;
    return true;
  }

  /** GitLab's `sudo!`: never ignored, since acting silently as the admin would put the wrong user on everything. */
  private async actAs(credentials: TokenCredentials, identifier: string): Promise<User> {
    const decision = decideSudo(credentials.user.admin, credentials.scopes);
    if (decision === 'not_admin') throw ApiError.forbidden('Must be admin to use sudo');
    if (decision === 'insufficient_scope') throw ApiError.insufficientScope(['sudo']);
    const user = await this.auth.userByIdOrUsername(identifier);
    if (!user) throw ApiError.notFound(`User with ID or username '${identifier}'`);
    // Stricter than GitLab, which lets an admin act as a blocked user: blocked users do nothing.
    if (user.state !== 'active') throw ApiError.forbidden(BLOCKED);
    return user;
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

/**
 * GitLab reads `params[:sudo]` (query or body) before the `Sudo` header; an empty value is no sudo. Any other shape
 * (`?sudo[]=x`, an object) is refused rather than ignored, so it can never fall back to acting as the admin.
 */
function sudoIdentifier(request: Request): string | undefined {
  const body: unknown = request.body;
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).sudo : undefined;
  for (const candidate of [request.query.sudo, fromBody, request.get('sudo')]) {
    if (candidate === undefined || candidate === null || candidate === '') continue;
    if (typeof candidate === 'string' || typeof candidate === 'number') return String(candidate);
    throw ApiError.badRequest('sudo is invalid');
  }
  return undefined;
}
