import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { ScopeRouteClass } from '@lanyard/access';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import type { Caller as CallerType } from './caller';

export const PUBLIC_ROUTE = 'lanyard:public';
export const TOKEN_SCOPE_CLASS = 'lanyard:token-scope-class';

/** A route anyone may call (health, discovery, runner endpoints that authenticate by body token). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Routes that accept more token scopes than `api`/`read_api`, as GitLab's Grape class for them does. */
export const TokenScopeClass = (routeClass: ScopeRouteClass) => SetMetadata(TOKEN_SCOPE_CLASS, routeClass);

export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): CallerType => {
  const caller = context.switchToHttp().getRequest<Request>().caller;
  if (!caller) throw ApiError.unauthorized();
  return caller;
});

/** The id of the token the request authenticated with, for the routes that act on that token itself. */
export const CallerTokenId = createParamDecorator((_data: unknown, context: ExecutionContext): number => {
  const tokenId = context.switchToHttp().getRequest<Request>().accessTokenId;
  if (tokenId === undefined) throw ApiError.unauthorized();
  return tokenId;
});
